<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>GridWatch %1 — grid governance dispatch console</source>
        <translation>网格守望 %1 — 网格化治理指挥调度台</translation>
    </message>
    <message>
        <source>Store: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
    <message>
        <source>none (logging to the terminal)</source>
        <translation>无（日志输出到终端）</translation>
    </message>
    <message>
        <source>About GridWatch</source>
        <translation>关于网格守望</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>账号管理</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>添加账号</translation>
    </message>
    <message>
        <source>Disable / enable the selected account</source>
        <translation>停用/启用所选账号</translation>
    </message>
    <message>
        <source>Set the selected account&apos;s password</source>
        <translation>重设所选账号的密码</translation>
    </message>
    <message>
        <source>Give the selected account the ticked roles</source>
        <translation>将勾选的角色赋予所选账号</translation>
    </message>
    <message>
        <source>Name shown in case timelines</source>
        <translation>案件记录中显示的姓名</translation>
    </message>
    <message>
        <source>First password (changed at the first sign-in)</source>
        <translation>初始密码（首次登录时更改）</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Account %1 added.</source>
        <translation>已添加账号 %1。</translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation>%1：已完成。</translation>
    </message>
    <message>
        <source>Select an account and type its new password in the password field.</source>
        <translation>请选择一个账号，并在密码栏输入新密码。</translation>
    </message>
    <message>
        <source>%1: new password set; changed at the next sign-in.</source>
        <translation>%1：已设置新密码，下次登录时须更改。</translation>
    </message>
</context>
<context>
    <name>AdoptDialog</name>
    <message>
        <source>Every category</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Work starts</source>
        <translation>整治开始日期</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>{n} cells are merged into one area.</source>
        <translation>所选 {n} 个单元合并为一个区域。</translation>
    </message>
    <message>
        <source>Adopt as a key rectification area</source>
        <translation>设为重点整治区域</translation>
    </message>
</context>
<context>
    <name>CaseAuditDialog</name>
    <message>
        <source>Audit of case %1</source>
        <translation>案件 %1 的审计记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Read the reporter&apos;s number</source>
        <translation>查看报案人电话</translation>
    </message>
    <message>
        <source>Every action on the case, from the audit trail (its entries are chained, so a changed or removed entry is detected).</source>
        <translation>本案件的每一步操作，取自审计记录（记录逐条链接，任何修改或删除都会被发现）。</translation>
    </message>
</context>
<context>
    <name>CaseBoard</name>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>小类</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时限</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Sort by time left</source>
        <translation>按剩余时限排序</translation>
    </message>
    <message>
        <source>Sort by priority</source>
        <translation>按紧急程度排序</translation>
    </message>
    <message>
        <source>Sort by age</source>
        <translation>按上报时间排序</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>%1 case(s) overdue</source>
        <translation>%1 件案件超时</translation>
    </message>
    <message>
        <source>outside</source>
        <translation>辖区外</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>An administrator set your password: choose your own before you continue.</source>
        <translation>您的密码由管理员设置：请先设置自己的密码再继续。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Cancel checking</source>
        <translation>取消检查</translation>
    </message>
    <message>
        <source>Check again with this mapping</source>
        <translation>按此对应关系重新检查</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Problems (nothing is imported while there are any)</source>
        <translation>问题（存在问题时不导入任何内容）</translation>
    </message>
    <message>
        <source>Which column holds which field</source>
        <translation>字段与文件列的对应</translation>
    </message>
    <message>
        <source>First rows of the file</source>
        <translation>文件前几行</translation>
    </message>
</context>
<context>
    <name>DispatchController</name>
    <message>
        <source>Signed in: %1</source>
        <translation>已登录：%1</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>无人</translation>
    </message>
    <message>
        <source>Signed in: %1 (sign in as someone else…)</source>
        <translation>已登录：%1（换人登录…）</translation>
    </message>
    <message>
        <source>New incident here…</source>
        <translation>在此登记新事件…</translation>
    </message>
    <message>
        <source>Logged %1</source>
        <translation>已登记 %1</translation>
    </message>
    <message>
        <source> (outside jurisdiction)</source>
        <translation>（辖区外）</translation>
    </message>
    <message>
        <source>Reassign team?</source>
        <translation>改派队伍？</translation>
    </message>
    <message>
        <source>Team dispatched</source>
        <translation>已派遣队伍</translation>
    </message>
    <message>
        <source>Mediated successfully</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <source>Mediation failed</source>
        <translation>调解不成功</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>The reporter says</source>
        <translation>报案人的评价</translation>
    </message>
    <message>
        <source>An extension is approved by a verifier: they sign in here.</source>
        <translation>延期须由核查督办员批准：请其在此登录。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>DispatchPanel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>预计到达</translation>
    </message>
    <message>
        <source>Road</source>
        <translation>道路距离</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>推荐理由</translation>
    </message>
    <message>
        <source>Not recommended because</source>
        <translation>不推荐原因</translation>
    </message>
    <message>
        <source>Assign the selected team</source>
        <translation>派遣所选队伍</translation>
    </message>
    <message>
        <source>Assign another team by hand…</source>
        <translation>手动指派其他队伍…</translation>
    </message>
    <message>
        <source>Rank teams again</source>
        <translation>重新排序队伍</translation>
    </message>
    <message>
        <source>Recommended teams (by road travel time)</source>
        <translation>推荐队伍（按道路通行时间）</translation>
    </message>
    <message>
        <source>Not recommended</source>
        <translation>不推荐</translation>
    </message>
    <message>
        <source>Audit…</source>
        <translation>审计记录…</translation>
    </message>
    <message>
        <source>Show number</source>
        <translation>显示号码</translation>
    </message>
    <message>
        <source>Select a case on the board, or right-click the map to log a new incident.</source>
        <translation>在案件看板中选择案件，或在地图上右键登记新事件。</translation>
    </message>
    <message>
        <source>%1 past incident(s) within 50 m in the last 90 days</source>
        <translation>近 90 天 50 米内有 %1 起历史事件</translation>
    </message>
    <message>
        <source>, same grid</source>
        <translation>，同网格</translation>
    </message>
    <message>
        <source>position %1 min old</source>
        <translation>位置 %1 分钟前</translation>
    </message>
    <message>
        <source>position current</source>
        <translation>位置最新</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>%1 m in a straight line</source>
        <translation>直线距离 %1 米</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>Reporter: %1 %2</source>
        <translation>报案人：%1 %2</translation>
    </message>
</context>
<context>
    <name>ExceptionDialog</name>
    <message>
        <source>A day off the plan</source>
        <translation>计划例外日</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Cancelled that day</source>
        <translation>当天取消</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>FeedController</name>
    <message>
        <source>GridWatch</source>
        <translation>网格守望</translation>
    </message>
    <message>
        <source>Cannot listen for trackers on %1: %2</source>
        <translation>无法在 %1 接收终端定位：%2</translation>
    </message>
    <message>
        <source>Listening for trackers on %1</source>
        <translation>正在 %1 接收终端定位</translation>
    </message>
</context>
<context>
    <name>FeedPanel</name>
    <message>
        <source>Fixes</source>
        <translation>定位</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Device id</source>
        <translation>设备号</translation>
    </message>
    <message>
        <source>Last report</source>
        <translation>最后上报</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>上报次数</translation>
    </message>
    <message>
        <source>Trackers bound to no team</source>
        <translation>未绑定队伍的终端</translation>
    </message>
    <message>
        <source>Bind to a team…</source>
        <translation>绑定到队伍…</translation>
    </message>
    <message>
        <source>Listening for trackers on %1</source>
        <translation>正在 %1 接收终端定位</translation>
    </message>
    <message>
        <source>Not listening in this console (a feed process may be)</source>
        <translation>本调度台未接收定位（可能由独立的接收进程负责）</translation>
    </message>
    <message>
        <source>Bind tracker</source>
        <translation>绑定终端</translation>
    </message>
    <message>
        <source>Team for tracker %1:</source>
        <translation>终端 %1 绑定到队伍：</translation>
    </message>
</context>
<context>
    <name>FeedReasons</name>
    <message>
        <source>Stored</source>
        <translation>已入库</translation>
    </message>
    <message>
        <source>Duplicate (same device and time)</source>
        <translation>重复（同一设备同一时间）</translation>
    </message>
    <message>
        <source>Accuracy worse than the threshold</source>
        <translation>精度低于阈值</translation>
    </message>
    <message>
        <source>Impossible jump</source>
        <translation>不可能的跳变</translation>
    </message>
    <message>
        <source>Time more than 7 days before receipt</source>
        <translation>时间早于接收前7天</translation>
    </message>
    <message>
        <source>Time more than 5 min ahead</source>
        <translation>时间超前5分钟以上</translation>
    </message>
    <message>
        <source>Impossible speed dropped (position kept)</source>
        <translation>速度异常已剔除（保留位置）</translation>
    </message>
    <message>
        <source>Impossible heading dropped (position kept)</source>
        <translation>方向异常已剔除（保留位置）</translation>
    </message>
    <message>
        <source>Impossible battery level dropped (position kept)</source>
        <translation>电量异常已剔除（保留位置）</translation>
    </message>
    <message>
        <source>Negative accuracy dropped (position kept)</source>
        <translation>精度为负已剔除（保留位置）</translation>
    </message>
    <message>
        <source>Coordinates out of range</source>
        <translation>坐标超出范围</translation>
    </message>
    <message>
        <source>Coordinates not a number</source>
        <translation>坐标不是数字</translation>
    </message>
    <message>
        <source>Position (0, 0)</source>
        <translation>位置为 (0, 0)</translation>
    </message>
    <message>
        <source>Marked invalid by the tracker</source>
        <translation>终端标记为无效</translation>
    </message>
    <message>
        <source>Unknown device</source>
        <translation>未登记设备</translation>
    </message>
</context>
<context>
    <name>HotspotsPanel</name>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>By grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <source>By hexagon (250 m)</source>
        <translation>按六边形（250 米）</translation>
    </message>
    <message>
        <source>Heat map</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>Find hotspots (Gi*)</source>
        <translation>热点分析</translation>
    </message>
    <message>
        <source>Adopt selected as key area…</source>
        <translation>将所选设为重点整治区域…</translation>
    </message>
    <message>
        <source>Draw an area…</source>
        <translation>绘制区域…</translation>
    </message>
    <message>
        <source>Click its corners on the map; double-click or Enter to finish, Esc to give up</source>
        <translation>在地图上依次点击区域的各个角点；双击或按回车结束，按 Esc 放弃</translation>
    </message>
    <message>
        <source>Key rectification areas: incidents per month</source>
        <translation>重点整治区域：月均事件数</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>事件数</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z 值</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>After</source>
        <translation>整治后月均</translation>
    </message>
    <message>
        <source>vs before</source>
        <translation>较整治前</translation>
    </message>
    <message>
        <source>Year on year</source>
        <translation>同比</translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>{n} incidents in the heat map.</source>
        <translation>热力图包含 {n} 起事件。</translation>
    </message>
    <message>
        <source>The key area is recorded.</source>
        <translation>重点整治区域已设立。</translation>
    </message>
    <message>
        <source>{hot} hot and {cold} cold cells of {n} ({perm} permutations).</source>
        <translation>{n} 个单元中热点 {hot} 个、冷点 {cold} 个（置换检验 {perm} 次）。</translation>
    </message>
    <message>
        <source>Finish the grid editing first.</source>
        <translation>请先结束网格编辑。</translation>
    </message>
    <message>
        <source>Click the corners of the area on the map; double-click to finish.</source>
        <translation>请在地图上点击区域的角点，双击结束。</translation>
    </message>
    <message>
        <source>An area needs at least three corners.</source>
        <translation>区域至少需要三个角点。</translation>
    </message>
    <message>
        <source>The area drawn: {ha:.1f} ha.</source>
        <translation>所绘区域：{ha:.1f} 公顷。</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>Locked after %1 minutes without use: sign in again.</source>
        <translation>%1 分钟无操作，已锁定：请重新登录。</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import into the district</source>
        <translation>导入辖区数据</translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Check it</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Write it</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Column of the file</source>
        <translation>文件中的列</translation>
    </message>
</context>
<context>
    <name>IncidentDialog</name>
    <message>
        <source>New incident</source>
        <translation>新事件</translation>
    </message>
    <message>
        <source>%1, grid %2 (%3)</source>
        <translation>%1，%2（%3）</translation>
    </message>
    <message>
        <source>%1: outside jurisdiction, no grid</source>
        <translation>%1：辖区外，无网格</translation>
    </message>
    <message>
        <source>No camera sees this place</source>
        <translation>没有点位能看到此处</translation>
    </message>
    <message>
        <source>No: a new case</source>
        <translation>否：新建案件</translation>
    </message>
    <message>
        <source>Merge into an open case nearby?</source>
        <translation>并入附近在办案件？</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>小类</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>报告人</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Cameras that see it</source>
        <translation>可视点位</translation>
    </message>
</context>
<context>
    <name>IndicatorsPanel</name>
    <message>
        <source>Whole district</source>
        <translation>全辖区</translation>
    </message>
    <message>
        <source>By community</source>
        <translation>按社区</translation>
    </message>
    <message>
        <source>By grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <source>By category</source>
        <translation>按类别</translation>
    </message>
    <message>
        <source>By source</source>
        <translation>按来源</translation>
    </message>
    <message>
        <source>By team</source>
        <translation>按队伍</translation>
    </message>
    <message>
        <source>By dispatcher</source>
        <translation>按调度员</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Week by week</source>
        <translation>按周</translation>
    </message>
    <message>
        <source>Month by month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Rates</source>
        <translation>比率</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Response times</source>
        <translation>响应时间</translation>
    </message>
    <message>
        <source>Time in stages</source>
        <translation>各环节用时</translation>
    </message>
    <message>
        <source>Patrol coverage</source>
        <translation>巡逻覆盖</translation>
    </message>
    <message>
        <source>Show the on-time closure rate of each grid on the map</source>
        <translation>在地图上按网格显示按期结案率</translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation>时段的结束早于开始。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Mediation ledger: %1 concluded, success %2; recurrence %3 of %4 followed up; sweeps %5 of %6 done</source>
        <translation>矛盾纠纷调解台账：调结 %1 件，调解成功率 %2；回访 %4 件中复发率 %3；排查完成 %5/%6 次</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Duty windows</source>
        <translation>执勤时段数</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>Mean coverage</source>
        <translation>平均覆盖率</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Walked km</source>
        <translation>巡逻里程(公里)</translation>
    </message>
    <message>
        <source>Patrol plans: no duty window ended in the period.</source>
        <translation>巡逻计划：本期没有已结束的执勤时段。</translation>
    </message>
    <message>
        <source>Patrol plans: %1 duty windows ended, %2 met their target (%3); mean coverage %4; least covered %5 (%6)</source>
        <translation>巡逻计划：已结束执勤时段 %1 个，达标 %2 个（%3）；平均覆盖率 %4；覆盖最低 %5（%6）</translation>
    </message>
    <message>
        <source>(not dispatched)</source>
        <translation>（未派遣）</translation>
    </message>
    <message>
        <source>Report to on scene (minutes)</source>
        <translation>上报到到场（分钟）</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件数</translation>
    </message>
    <message>
        <source>Closed cases</source>
        <translation>结案案件数</translation>
    </message>
    <message>
        <source>Median (min)</source>
        <translation>中位数（分钟）</translation>
    </message>
    <message>
        <source>P90 (min)</source>
        <translation>P90（分钟）</translation>
    </message>
    <message>
        <source>Overdue rate</source>
        <translation>超时率</translation>
    </message>
</context>
<context>
    <name>LedgersPanel</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Your role sees the number of people under supervision per grid on the map; the ledgers are for the ledger keeper, dispatchers and supervisors.</source>
        <translation>您的角色只能在地图上看到各网格的重点人员数量；台账仅供综治专干、调度员和核查督办员查看。</translation>
    </message>
    <message>
        <source>Visits due</source>
        <translation>走访提醒</translation>
    </message>
    <message>
        <source>People</source>
        <translation>重点人员</translation>
    </message>
    <message>
        <source>Mediation</source>
        <translation>矛盾调解</translation>
    </message>
    <message>
        <source>Petitions</source>
        <translation>信访</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Days late</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Next visit</source>
        <translation>下次走访</translation>
    </message>
    <message>
        <source>Every kind</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>调解次数</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>协议书</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Session…</source>
        <translation>调解过程…</translation>
    </message>
    <message>
        <source>Outcome…</source>
        <translation>调解结果…</translation>
    </message>
    <message>
        <source>Follow-up…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <source>Petitioner</source>
        <translation>信访人</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>Working group</source>
        <translation>工作专班</translation>
    </message>
    <message>
        <source>Responsible (5+1)</source>
        <translation>责任人（5+1）</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近接触</translation>
    </message>
    <message>
        <source>Petition</source>
        <translation>信访件</translation>
    </message>
    <message>
        <source>Responsible</source>
        <translation>责任</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Record zero-report…</source>
        <translation>登记零报告…</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划日期</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成日期</translation>
    </message>
    <message>
        <source>Disputes found</source>
        <translation>发现纠纷</translation>
    </message>
    <message>
        <source>Record sweep result…</source>
        <translation>登记排查结果…</translation>
    </message>
    <message>
        <source>Import people…</source>
        <translation>导入重点人员…</translation>
    </message>
    <message>
        <source>Import visit log…</source>
        <translation>导入走访记录…</translation>
    </message>
    <message>
        <source>Record a contact…</source>
        <translation>登记接访…</translation>
    </message>
    <message>
        <source>Responsible as</source>
        <translation>责任角色</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>走访人</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>见到本人</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>走访情况</translation>
    </message>
    <message>
        <source>Tracker evidence</source>
        <translation>定位佐证</translation>
    </message>
    <message>
        <source>Record a visit…</source>
        <translation>登记走访…</translation>
    </message>
    <message>
        <source>Show on map</source>
        <translation>地图定位</translation>
    </message>
    <message>
        <source>Risk / end…</source>
        <translation>风险/解除…</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Out of supervision</source>
        <translation>脱管</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>待访</translation>
    </message>
    <message>
        <source>On schedule</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已解除</translation>
    </message>
    <message>
        <source>Out of supervision: case %1 opened</source>
        <translation>脱管预警：已立案 %1</translation>
    </message>
    <message>
        <source>%1 out of supervision · %2 overdue · %3 due</source>
        <translation>脱管 %1 人 · 逾期 %2 人 · 待访 %3 人</translation>
    </message>
    <message>
        <source>Last 12 months: %1 mediated, success %2, recurrence %3 of %4 followed up; sweeps %5 of %6 done, %7 disputes found</source>
        <translation>近12个月：调解 %1 件，调解成功率 %2，回访 %4 件中复发率 %3；排查完成 %5/%6 次，发现纠纷 %7 件</translation>
    </message>
    <message>
        <source>recurred</source>
        <translation>复发</translation>
    </message>
    <message>
        <source>no recurrence</source>
        <translation>未复发</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>应于 %1 回访</translation>
    </message>
    <message>
        <source>This month&apos;s sweeps (排查): %1 of %2 done, %3 late</source>
        <translation>本月排查：已完成 %1/%2，逾期 %3</translation>
    </message>
    <message>
        <source>Today&apos;s zero-reports: %1 of %2 in, %3 missing (due by 12:00)</source>
        <translation>今日零报告：已报 %1/%2，缺报 %3（12:00 前报送）</translation>
    </message>
    <message>
        <source>Nothing to report</source>
        <translation>无情况</translation>
    </message>
    <message>
        <source>Report: %1</source>
        <translation>报告：%1</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺报</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>未报</translation>
    </message>
    <message>
        <source>ID %1 · phone %2 · since %3</source>
        <translation>身份证 %1 · 电话 %2 · 纳管日期 %3</translation>
    </message>
    <message>
        <source>%1: next visit due %2</source>
        <translation>%1：下次应走访日期 %2</translation>
    </message>
    <message>
        <source>%1 m from home</source>
        <translation>距住址 %1 米</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>NOT FOUND</source>
        <translation>未见本人</translation>
    </message>
    <message>
        <source>Visit to %1</source>
        <translation>走访 %1</translation>
    </message>
    <message>
        <source>The person was found</source>
        <translation>见到本人</translation>
    </message>
    <message>
        <source>Open a case for the follow-up</source>
        <translation>为后续事项立案</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>tracker %1 m from the address</source>
        <translation>定位终端距住址 %1 米</translation>
    </message>
    <message>
        <source>no tracker fix near the address</source>
        <translation>住址附近无定位记录</translation>
    </message>
    <message>
        <source>Visit recorded (%1)</source>
        <translation>走访已登记（%1）</translation>
    </message>
    <message>
        <source>case %1 opened</source>
        <translation>已立案 %1</translation>
    </message>
    <message>
        <source>Supervision ended on</source>
        <translation>解除管控日期</translation>
    </message>
    <message>
        <source>%1 updated</source>
        <translation>%1 已更新</translation>
    </message>
    <message>
        <source>New mediation record</source>
        <translation>新建调解记录</translation>
    </message>
    <message>
        <source>names, separated by 、 or ,</source>
        <translation>姓名，以“、”或逗号分隔</translation>
    </message>
    <message>
        <source>Dispute case number</source>
        <translation>纠纷案件编号</translation>
    </message>
    <message>
        <source>Mediators</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Mediation record started</source>
        <translation>调解记录已建立</translation>
    </message>
    <message>
        <source>Mediation session for %1</source>
        <translation>%1 的调解记录</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Session recorded</source>
        <translation>调解过程已登记</translation>
    </message>
    <message>
        <source>Outcome of %1</source>
        <translation>%1 的调解结果</translation>
    </message>
    <message>
        <source>Agreement reached</source>
        <translation>达成协议</translation>
    </message>
    <message>
        <source>Written agreement no.</source>
        <translation>调解协议书编号</translation>
    </message>
    <message>
        <source>Outcome recorded</source>
        <translation>调解结果已登记</translation>
    </message>
    <message>
        <source>Follow-up visit for %1</source>
        <translation>%1 的回访</translation>
    </message>
    <message>
        <source>The dispute came back</source>
        <translation>纠纷复发</translation>
    </message>
    <message>
        <source>Follow-up recorded</source>
        <translation>回访已登记</translation>
    </message>
    <message>
        <source>Sweep of grid %1</source>
        <translation>网格 %1 排查</translation>
    </message>
    <message>
        <source>Sweep recorded</source>
        <translation>排查结果已登记</translation>
    </message>
    <message>
        <source>Import people from Excel</source>
        <translation>从 Excel 导入重点人员</translation>
    </message>
    <message>
        <source>Import a visit log from Excel</source>
        <translation>从 Excel 导入走访记录</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Excel or CSV (*.xlsx *.xlsm *.csv)</source>
        <translation>Excel 或 CSV 文件 (*.xlsx *.xlsm *.csv)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>GPS / CGCS2000</source>
        <translation>GPS / CGCS2000</translation>
    </message>
    <message>
        <source>GCJ-02 (Amap, Tencent)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <source>BD-09 (Baidu)</source>
        <translation>BD-09（百度）</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>%1 rows imported from %2</source>
        <translation>已从 %2 导入 %1 行</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>正在逐行校验…</translation>
    </message>
    <message>
        <source>%1 bad row(s); nothing was imported:</source>
        <translation>%1 行有错误，未导入任何数据：</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>…… 另有 %1 条</translation>
    </message>
    <message>
        <source>Every row is good: OK imports %1 row(s).</source>
        <translation>全部校验通过：按“确定”导入 %1 行。</translation>
    </message>
    <message>
        <source>Zero-report of %1 (%2)</source>
        <translation>%1 的零报告（%2）</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告内容</translation>
    </message>
    <message>
        <source>Zero-report recorded</source>
        <translation>零报告已登记</translation>
    </message>
    <message>
        <source>Contact with the petitioner of %1</source>
        <translation>%1 信访人接访</translation>
    </message>
    <message>
        <source>Contact recorded</source>
        <translation>接访已登记</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loading the district…</source>
        <translation>正在加载辖区…</translation>
    </message>
    <message>
        <source>Patrol</source>
        <translation>巡逻</translation>
    </message>
    <message>
        <source>Patrol alerts: %1</source>
        <translation>巡逻告警：%1</translation>
    </message>
    <message>
        <source>GridWatch — grid governance dispatch console</source>
        <translation>网格守望 — 网格化治理指挥调度台</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Zoom to district</source>
        <translation>全辖区</translation>
    </message>
    <message>
        <source>Show the whole district (Home)</source>
        <translation>显示整个辖区（Home）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>New district…</source>
        <translation>新建辖区…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Monthly report…</source>
        <translation>月度报告…</translation>
    </message>
    <message>
        <source>Find grid or camera</source>
        <translation>查找网格或点位</translation>
    </message>
    <message>
        <source>Find a grid, camera, team or case by code or name</source>
        <translation>按编号或名称查找网格、点位、队伍或案件</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>要素属性</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>&amp;Feed</source>
        <translation>定位(&amp;D)</translation>
    </message>
    <message>
        <source>Listen for trackers in this console</source>
        <translation>在本调度台接收终端定位</translation>
    </message>
    <message>
        <source>Simulate the district&apos;s teams (demo)</source>
        <translation>模拟辖区队伍（演示）</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Hotspots</source>
        <translation>热点分析</translation>
    </message>
    <message>
        <source>Ledgers</source>
        <translation>台账</translation>
    </message>
    <message>
        <source>Rota</source>
        <translation>排班</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Undo grid edit</source>
        <translation>撤销网格编辑</translation>
    </message>
    <message>
        <source>Redo grid edit</source>
        <translation>重做网格编辑</translation>
    </message>
    <message>
        <source>Case and dispatch</source>
        <translation>案件与派遣</translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation>调度(&amp;S)</translation>
    </message>
    <message>
        <source>New incident at the map centre</source>
        <translation>在地图中心登记新事件</translation>
    </message>
    <message>
        <source>About GridWatch…</source>
        <translation>关于网格守望…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账号(&amp;A)</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Accounts…</source>
        <translation>账号管理…</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>密码已修改</translation>
    </message>
    <message>
        <source>The office database cannot be reached. The map shows what was last read; nothing can be saved until the connection is back.</source>
        <translation>无法连接中心数据库。地图显示的是最后读到的状态；连接恢复前任何操作都无法保存。</translation>
    </message>
    <message>
        <source>Connected to the office database again.</source>
        <translation>已重新连接中心数据库。</translation>
    </message>
    <message>
        <source>● Office database connected</source>
        <translation>● 中心数据库已连接</translation>
    </message>
    <message>
        <source>● Office database unreachable: read only, reconnecting…</source>
        <translation>● 中心数据库无法连接：只读，正在重连…</translation>
    </message>
    <message>
        <source>Could not load the district: %1</source>
        <translation>无法加载辖区：%1</translation>
    </message>
    <message>
        <source>GridWatch</source>
        <translation>网格守望</translation>
    </message>
    <message>
        <source>%1 grids · %2 open cases · %3 teams available</source>
        <translation>%1 个网格 · %2 件在办案件 · %3 支队伍空闲</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>定位接收</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件看板</translation>
    </message>
    <message>
        <source>Planning</source>
        <translation>网格规划</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未执行</translation>
    </message>
    <message>
        <source>Scale 1:%1</source>
        <translation>比例尺 1:%1</translation>
    </message>
</context>
<context>
    <name>ManualAssignDialog</name>
    <message>
        <source>Assign a team by hand</source>
        <translation>手动指派队伍</translation>
    </message>
    <message>
        <source>why this team (kept with the case, shown in replay)</source>
        <translation>指派理由（随案件保存，回放时显示）</translation>
    </message>
    <message>
        <source>The ranking of the moment is recorded beside your choice.</source>
        <translation>当时的推荐排序会与您的选择一并记录。</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>指派</translation>
    </message>
</context>
<context>
    <name>MapPanelsController</name>
    <message>
        <source>Shown when zoomed in to 1:%1 or closer</source>
        <translation>放大到 1:%1 或更近时显示</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Nothing matches “%1”</source>
        <translation>没有与“%1”匹配的结果</translation>
    </message>
    <message>
        <source>Found %1</source>
        <translation>已找到 %1</translation>
    </message>
</context>
<context>
    <name>NewDistrictDialog</name>
    <message>
        <source>New district</source>
        <translation>新建辖区</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>from the file when it names the district</source>
        <translation>文件中有名称时取自文件</translation>
    </message>
    <message>
        <source>as the file says; e.g. EPSG:4545 when it has no .prj</source>
        <translation>以文件为准；没有 .prj 时填写，如 EPSG:4545</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Boundary file</source>
        <translation>边界文件</translation>
    </message>
    <message>
        <source>District name</source>
        <translation>辖区名称</translation>
    </message>
    <message>
        <source>Coordinates are</source>
        <translation>坐标类型</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>坐标参考系</translation>
    </message>
    <message>
        <source>New store file</source>
        <translation>新数据库文件</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Open it</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>District boundary</source>
        <translation>辖区边界</translation>
    </message>
    <message>
        <source>GIS files (*.shp *.gpkg *.geojson *.json *.kml *.dxf);;All files (*)</source>
        <translation>GIS 文件 (*.shp *.gpkg *.geojson *.json *.kml *.dxf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
</context>
<context>
    <name>PatrolPanel</name>
    <message>
        <source>Measuring the plans from the tracks…</source>
        <translation>正在根据轨迹核算巡逻计划…</translation>
    </message>
    <message>
        <source>{n} checkpoints, {km:.2f} km along the streets. Click more, or save.</source>
        <translation>{n} 个必到点，沿道路 {km:.2f} 公里。可继续点击，或保存。</translation>
    </message>
    <message>
        <source>No alerts: every plan on duty now has started.</source>
        <translation>无告警：当前在岗的计划均已开始。</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Duty window</source>
        <translation>执勤时段</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>打卡点</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Gaps</source>
        <translation>断点</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>(late)</source>
        <translation>（迟到）</translation>
    </message>
    <message>
        <source>held {m} min</source>
        <translation>守点 {m} 分钟</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Days off the pattern</source>
        <translation>例外日</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>路线</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Stake-out</source>
        <translation>定点守候</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Key plan</source>
        <translation>重点计划</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>时段数</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>Walked km</source>
        <translation>巡逻里程(公里)</translation>
    </message>
    <message>
        <source>{n} duty windows ended in the period, {met} met their target ({pct}). Running now: {running}.</source>
        <translation>本期已结束执勤时段 {n} 个，达标 {met} 个（{pct}）。正在进行：{running} 个。</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>{plan}: {day} is off the pattern.</source>
        <translation>{plan}：{day} 已设为例外日。</translation>
    </message>
    <message>
        <source>Only a planner or a supervisor draws patrol plans: sign in as one.</source>
        <translation>只有规划员或核查督办员可以绘制巡逻计划：请以其身份登录。</translation>
    </message>
    <message>
        <source>Click the checkpoints on the map, each is put on its street; Backspace removes the last. One checkpoint makes a stake-out point.</source>
        <translation>在地图上依次点击必到点，每个点会吸附到道路上；退格键删除最后一个点。只点一个点即为定点守候。</translation>
    </message>
    <message>
        <source>{n} corners of the area. Click more, or save.</source>
        <translation>区域已有 {n} 个角点。可继续点击，或保存。</translation>
    </message>
    <message>
        <source>Click the area&apos;s corners on the map (three at least).</source>
        <translation>在地图上点击区域的各个角点（至少三个）。</translation>
    </message>
    <message>
        <source>1 checkpoint: a stake-out point, or click more for a route.</source>
        <translation>1 个必到点：定点守候；继续点击可绘制路线。</translation>
    </message>
    <message>
        <source>Place the checkpoints first, and wait for the route to be proposed.</source>
        <translation>请先放置必到点，并等待路线生成。</translation>
    </message>
    <message>
        <source>Every team: {kind}</source>
        <translation>全部队伍：{kind}</translation>
    </message>
    <message>
        <source>Plan {name} saved (#{id}).</source>
        <translation>计划“{name}”已保存（#{id}）。</translation>
    </message>
    <message>
        <source>Alerts now</source>
        <translation>当前告警</translation>
    </message>
    <message>
        <source>Draw a plan…</source>
        <translation>绘制计划…</translation>
    </message>
    <message>
        <source>Draw a patrol route or stake-out point on the map, snapped to the streets</source>
        <translation>在地图上绘制巡逻路线或守候点，自动吸附到道路</translation>
    </message>
    <message>
        <source>Route along the streets</source>
        <translation>沿道路的路线</translation>
    </message>
    <message>
        <source>Area (its corners)</source>
        <translation>区域（点击各角点）</translation>
    </message>
    <message>
        <source>Shortest order</source>
        <translation>最短顺序</translation>
    </message>
    <message>
        <source>Visit the checkpoints in the order of the shortest closed tour by road</source>
        <translation>按道路最短环线的顺序经过各必到点</translation>
    </message>
    <message>
        <source>Save plan…</source>
        <translation>保存计划…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>上周</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Day off the plan…</source>
        <translation>例外日…</translation>
    </message>
    <message>
        <source>Cancel the chosen plan on a day, or give it other hours that day</source>
        <translation>某天取消所选计划，或为当天另定时段</translation>
    </message>
    <message>
        <source>By duty window</source>
        <translation>按执勤时段</translation>
    </message>
    <message>
        <source>By team</source>
        <translation>按队伍</translation>
    </message>
    <message>
        <source>By grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <source>Key plans</source>
        <translation>重点计划</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>计划列表</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Measure the plans again from the tracks</source>
        <translation>根据轨迹重新核算巡逻计划</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>New patrol plan</source>
        <translation>新建巡逻计划</translation>
    </message>
    <message>
        <source>A route of {km:.2f} km along the streets</source>
        <translation>沿道路 {km:.2f} 公里的路线</translation>
    </message>
    <message>
        <source>An area of {km2:.2f} km²: its streets are to be walked</source>
        <translation>面积 {km2:.2f} 平方公里的区域：须巡遍其中道路</translation>
    </message>
    <message>
        <source>A stake-out point</source>
        <translation>定点守候</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Key area or key period</source>
        <translation>重点区域或重点时段</translation>
    </message>
    <message>
        <source>Target coverage</source>
        <translation>目标覆盖率</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
</context>
<context>
    <name>Planner</name>
    <message>
        <source>Move vertex</source>
        <translation>移动节点</translation>
    </message>
    <message>
        <source>Split grid</source>
        <translation>拆分网格</translation>
    </message>
    <message>
        <source>Merge grids</source>
        <translation>合并网格</translation>
    </message>
    <message>
        <source>Rename grid</source>
        <translation>重命名网格</translation>
    </message>
    <message>
        <source>Grid attributes</source>
        <translation>网格属性</translation>
    </message>
    <message>
        <source>Add vertex</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <source>Delete vertex</source>
        <translation>删除节点</translation>
    </message>
</context>
<context>
    <name>PlannerPanel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <source>Leave planner mode</source>
        <translation>退出规划模式</translation>
    </message>
    <message>
        <source>Edit grids (planner mode)</source>
        <translation>编辑网格（规划模式）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Split the selected grid: click a line, double-click to end</source>
        <translation>拆分所选网格：点击画线，双击结束</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Apply name, community and grid worker</source>
        <translation>应用名称、社区和网格员</translation>
    </message>
    <message>
        <source>Validate the draft</source>
        <translation>校验草稿</translation>
    </message>
    <message>
        <source>Publish the draft…</source>
        <translation>发布草稿…</translation>
    </message>
    <message>
        <source>Grids are edited in a draft; the published set stays in force until the draft is published.</source>
        <translation>网格在草稿中编辑；草稿发布之前，已发布的网格版本继续生效。</translation>
    </message>
    <message>
        <source>none (click a grid)</source>
        <translation>无（点击一个网格）</translation>
    </message>
    <message>
        <source>Draft %1 · %2 grids · selected: %3</source>
        <translation>草稿 %1 · %2 个网格 · 已选：%3</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>No problems: the draft can be published.</source>
        <translation>没有问题：草稿可以发布。</translation>
    </message>
    <message>
        <source>Publishing is refused: %1 problem(s) in the draft</source>
        <translation>拒绝发布：草稿中有 %1 个问题</translation>
    </message>
    <message>
        <source>Publish grid set</source>
        <translation>发布网格版本</translation>
    </message>
    <message>
        <source>Publish draft %1 as the grid set in force from now?</source>
        <translation>将草稿 %1 发布为自现在起生效的网格版本？</translation>
    </message>
    <message>
        <source>Grid set %1 published</source>
        <translation>网格版本 %1 已发布</translation>
    </message>
</context>
<context>
    <name>ReplayPanel</name>
    <message>
        <source>Replay this window</source>
        <translation>回放此时段</translation>
    </message>
    <message>
        <source>Replay the selected case</source>
        <translation>回放所选案件</translation>
    </message>
    <message>
        <source>Back to live</source>
        <translation>返回实时</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Map PNG</source>
        <translation>地图 PNG</translation>
    </message>
    <message>
        <source>State GeoJSON</source>
        <translation>状态 GeoJSON</translation>
    </message>
    <message>
        <source>Case CSV</source>
        <translation>案件 CSV</translation>
    </message>
    <message>
        <source>open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <source>Reading the window…</source>
        <translation>正在读取时段…</translation>
    </message>
    <message>
        <source>Select a case first</source>
        <translation>请先选择案件</translation>
    </message>
    <message>
        <source>Nothing happened in this window: no positions and no case events</source>
        <translation>此时段内没有任何记录：没有定位，也没有案件事件</translation>
    </message>
    <message>
        <source>Replaying %1 – %2</source>
        <translation>回放 %1 – %2</translation>
    </message>
    <message>
        <source>case events (click one to go there)</source>
        <translation>案件事件（点击可跳转）</translation>
    </message>
    <message>
        <source>Recommended then: %1</source>
        <translation>当时推荐：%1</translation>
    </message>
    <message>
        <source>%1. %2 (%3 min)</source>
        <translation>%1. %2（%3 分钟）</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>无记录</translation>
    </message>
    <message>
        <source>Assigned by hand: %1, because “%2”</source>
        <translation>手动指派：%1，理由：“%2”</translation>
    </message>
    <message>
        <source>Assigned: %1</source>
        <translation>派遣：%1</translation>
    </message>
    <message>
        <source>arrived after %1 min (ETA %2 min)</source>
        <translation>%1 分钟后到场（预计 %2 分钟）</translation>
    </message>
    <message>
        <source>%1 %2/%3 min</source>
        <translation>%1 %2/%3 分钟</translation>
    </message>
    <message>
        <source>over the limit: %1</source>
        <translation>超时：%1</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Monthly report</source>
        <translation>月度报告</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>For</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>The whole district</source>
        <translation>全辖区</translation>
    </message>
    <message>
        <source>PDF for printing (A4, map and charts)</source>
        <translation>PDF 打印版（A4，含地图与图表）</translation>
    </message>
    <message>
        <source>Workbook (XLSX, numbers and formulas)</source>
        <translation>Excel 工作簿（XLSX，含数值与公式）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Write report</source>
        <translation>生成报告</translation>
    </message>
    <message>
        <source>Write the report to</source>
        <translation>报告保存到</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>Could not write {path}: {why}</source>
        <translation>无法写入 {path}：{why}</translation>
    </message>
    <message>
        <source>Written to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <source>Report written to {path}</source>
        <translation>报告已保存到 {path}</translation>
    </message>
</context>
<context>
    <name>RotaPanel</name>
    <message>
        <source>Reading the rota…</source>
        <translation>正在读取排班…</translation>
    </message>
    <message>
        <source>Week of {day}</source>
        <translation>{day} 所在周</translation>
    </message>
    <message>
        <source>{shifts} shifts. Grids with nobody planned at some hour: {grids} of {all} ({hours} grid-hours).</source>
        <translation>共 {shifts} 个班次。有时段无人值守的网格：{grids} / {all} 个（合计 {hours} 网格·小时）。</translation>
    </message>
    <message>
        <source>{plan}: {day} {hour:02d}:00 for {n} h, {k} on shift</source>
        <translation>{plan}：{day} {hour:02d}:00 起 {n} 小时，在岗 {k} 人</translation>
    </message>
    <message>
        <source>Import a rota</source>
        <translation>导入排班表</translation>
    </message>
    <message>
        <source>Rota (*.xlsx *.csv)</source>
        <translation>排班表 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Checking {file}…</source>
        <translation>正在检查 {file}…</translation>
    </message>
    <message>
        <source>{file}: {n} bad rows; nothing was imported.</source>
        <translation>{file}：{n} 行有误，未导入任何内容。</translation>
    </message>
    <message>
        <source>{file}: {n} shifts imported.</source>
        <translation>{file}：已导入 {n} 个班次。</translation>
    </message>
    <message>
        <source>Select a team&apos;s hour in the week (by team) first.</source>
        <translation>请先在周视图（按队伍）中选中某队伍的某个时段。</translation>
    </message>
    <message>
        <source>Nobody of that team is on shift then.</source>
        <translation>该队伍在此时段无人在岗。</translation>
    </message>
    <message>
        <source>The shift is swapped.</source>
        <translation>已换班。</translation>
    </message>
    <message>
        <source>The week before</source>
        <translation>上一周</translation>
    </message>
    <message>
        <source>The week after</source>
        <translation>下一周</translation>
    </message>
    <message>
        <source>By team</source>
        <translation>按队伍</translation>
    </message>
    <message>
        <source>By grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <source>Import rota…</source>
        <translation>导入排班…</translation>
    </message>
    <message>
        <source>Swap a shift…</source>
        <translation>换班…</translation>
    </message>
    <message>
        <source>Key periods short of people</source>
        <translation>人手不足的重点时段</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Create the first administrator</source>
        <translation>创建首个管理员</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>This store has no accounts yet: create the administrator&apos;s account.</source>
        <translation>本数据库还没有账号：请创建管理员账号。</translation>
    </message>
    <message>
        <source>Sign in to work at this console.</source>
        <translation>请登录后使用本调度台。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name shown in case timelines</source>
        <translation>案件记录中显示的姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>SourcePage</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>as the file says; e.g. EPSG:4545 when it has no .prj</source>
        <translation>以文件为准；没有 .prj 时填写，如 EPSG:4545</translation>
    </message>
    <message>
        <source>Write an Excel template…</source>
        <translation>生成 Excel 模板…</translation>
    </message>
    <message>
        <source>What to import</source>
        <translation>导入内容</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Layer or sheet</source>
        <translation>图层或工作表</translation>
    </message>
    <message>
        <source>Coordinates are</source>
        <translation>坐标类型</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>坐标参考系</translation>
    </message>
    <message>
        <source>Excel (.xlsx) or CSV, one row per entry, headers as in the template. Every bad row is listed; nothing is imported until all rows are good.</source>
        <translation>Excel（.xlsx）或 CSV，每行一条，表头与模板一致。每个错误行都会列出；所有行都正确之前不导入任何内容。</translation>
    </message>
    <message>
        <source>An OpenStreetMap extract (.osm.pbf) or any GIS file (Shapefile, GeoPackage, GeoJSON, KML, DXF) in any coordinate system.</source>
        <translation>OpenStreetMap 数据（.osm.pbf）或任意坐标系的 GIS 文件（Shapefile、GeoPackage、GeoJSON、KML、DXF）。</translation>
    </message>
    <message>
        <source>Rosters (*.xlsx *.csv);;All files (*)</source>
        <translation>名册 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>OpenStreetMap and GIS files (*.pbf *.osm *.shp *.gpkg *.geojson *.json *.kml *.dxf);;All files (*)</source>
        <translation>OpenStreetMap 与 GIS 文件 (*.pbf *.osm *.shp *.gpkg *.geojson *.json *.kml *.dxf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>File to import</source>
        <translation>要导入的文件</translation>
    </message>
</context>
<context>
    <name>SwapDialog</name>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Given to</source>
        <translation>换给</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>换班</translation>
    </message>
    <message>
        <source>Swap a shift</source>
        <translation>换班</translation>
    </message>
</context>
<context>
    <name>TeamPanel</name>
    <message>
        <source>Search teams by name or code</source>
        <translation>按名称或编号查找队伍</translation>
    </message>
    <message>
        <source>Follow the selected team</source>
        <translation>跟随所选队伍</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
</context>
<context>
    <name>TeamTableModel</name>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最后定位</translation>
    </message>
    <message>
        <source> (stale)</source>
        <translation>（信号延迟）</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
</context>
<context>
    <name>WritePage</name>
    <message>
        <source>Write to the store</source>
        <translation>写入数据库</translation>
    </message>
    <message>
        <source>Cancel writing</source>
        <translation>取消写入</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Creating the demo district…</source>
        <translation>正在生成演示辖区…</translation>
    </message>
    <message>
        <source>Could not create the demo district: %1</source>
        <translation>无法生成演示辖区：%1</translation>
    </message>
    <message>
        <source>Cannot open the store.</source>
        <translation>无法打开数据库文件。</translation>
    </message>
</context>
<context>
    <name>district</name>
    <message>
        <source>Choose the boundary file and where to write the new store.</source>
        <translation>请选择边界文件和新数据库的保存位置。</translation>
    </message>
    <message>
        <source>New district</source>
        <translation>新建辖区</translation>
    </message>
    <message>
        <source>%1 exists. Replace it?</source>
        <translation>%1 已存在，是否替换？</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
    <message>
        <source>District “%1” created, measured in EPSG:%2. Open it and import its streets, grids, cameras and teams with File → Import….</source>
        <translation>已创建辖区“%1”，量算坐标系为 EPSG:%2。打开后用“文件 → 导入…”导入道路、网格、点位和队伍。</translation>
    </message>
    <message>
        <source>Excel template</source>
        <translation>Excel 模板</translation>
    </message>
    <message>
        <source>Reading and checking the file…</source>
        <translation>正在读取并检查文件…</translation>
    </message>
    <message>
        <source>Would add %1, change %2, remove %3 (%4 unchanged).</source>
        <translation>将新增 %1 条、修改 %2 条、删除 %3 条（%4 条不变）。</translation>
    </message>
    <message>
        <source>add</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>change</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>This replaces the %1 %2 in the store with %3 from %4.</source>
        <translation>将用 %4 中的 %3 条替换数据库中现有的 %1 条%2。</translation>
    </message>
    <message>
        <source>Add %1, change %2 and remove %3 entries from %4?</source>
        <translation>按 %4 新增 %1 条、修改 %2 条、删除 %3 条？</translation>
    </message>
    <message>
        <source>Write what %1 holds into the store?</source>
        <translation>将 %1 的内容写入数据库？</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在写入…</translation>
    </message>
    <message>
        <source>Imported: %1</source>
        <translation>已导入：%1</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Streets</source>
        <translation>道路</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水系</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>天网摄像头</translation>
    </message>
    <message>
        <source>Team members</source>
        <translation>队员</translation>
    </message>
    <message>
        <source>Office staff</source>
        <translation>中心工作人员</translation>
    </message>
    <message>
        <source>Trackers (handsets)</source>
        <translation>定位终端</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Road class</source>
        <translation>道路等级</translation>
    </message>
    <message>
        <source>One-way</source>
        <translation>单行</translation>
    </message>
    <message>
        <source>Open to pedestrians</source>
        <translation>允许步行</translation>
    </message>
    <message>
        <source>Open to e-bikes</source>
        <translation>允许电动车</translation>
    </message>
    <message>
        <source>Open to cars</source>
        <translation>允许汽车</translation>
    </message>
    <message>
        <source>Floors</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>left out (outside the district)</source>
        <translation>未导入（辖区外）</translation>
    </message>
    <message>
        <source>street segments</source>
        <translation>道路路段</translation>
    </message>
    <message>
        <source>junctions and ends</source>
        <translation>路口与端点</translation>
    </message>
    <message>
        <source>pieces of the street graph</source>
        <translation>路网连通片数</translation>
    </message>
    <message>
        <source>length (km)</source>
        <translation>总长（公里）</translation>
    </message>
    <message>
        <source>one-way segments</source>
        <translation>单行路段</translation>
    </message>
    <message>
        <source>segments closed to cars</source>
        <translation>禁行汽车路段</translation>
    </message>
    <message>
        <source>now in the store (replaced)</source>
        <translation>数据库现有（将被替换）</translation>
    </message>
    <message>
        <source>OpenStreetMap ways read</source>
        <translation>读取的 OSM 线</translation>
    </message>
    <message>
        <source>buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <source>water areas</source>
        <translation>水域</translation>
    </message>
    <message>
        <source>grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>grid problems</source>
        <translation>网格问题</translation>
    </message>
    <message>
        <source>cameras</source>
        <translation>点位</translation>
    </message>
    <message>
        <source>teams</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>members</source>
        <translation>队员</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>trackers</source>
        <translation>定位终端</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>new communities</source>
        <translation>新建社区</translation>
    </message>
    <message>
        <source>grid set</source>
        <translation>网格版本</translation>
    </message>
    <message>
        <source>published (1) or draft (0)</source>
        <translation>已发布（1）或草稿（0）</translation>
    </message>
    <message>
        <source>WGS-84 (GPS)</source>
        <translation>WGS-84（GPS）</translation>
    </message>
    <message>
        <source>CGCS2000 (天地图, surveying)</source>
        <translation>CGCS2000（天地图、测绘成果）</translation>
    </message>
    <message>
        <source>GCJ-02 (高德, 腾讯)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <source>BD-09 (百度)</source>
        <translation>BD-09（百度）</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>道路等级</translation>
    </message>
    <message>
        <source>One-way</source>
        <translation>单行</translation>
    </message>
    <message>
        <source>Length (m)</source>
        <translation>长度（米）</translation>
    </message>
    <message>
        <source>Floors</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>HD</source>
        <translation>高清</translation>
    </message>
    <message>
        <source>Heading (°)</source>
        <translation>朝向（°）</translation>
    </message>
    <message>
        <source>Field of view (°)</source>
        <translation>视场角（°）</translation>
    </message>
    <message>
        <source>Range (m)</source>
        <translation>可视距离（米）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>视频流</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Area (km²)</source>
        <translation>面积（平方千米）</translation>
    </message>
    <message>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <source>Grid set</source>
        <translation>网格版本</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>小类</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>In stage since</source>
        <translation>进入本阶段</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>出行方式</translation>
    </message>
    <message>
        <source>Home grid</source>
        <translation>责任网格</translation>
    </message>
    <message>
        <source>Last fix</source>
        <translation>最后定位</translation>
    </message>
    <message>
        <source>Speed (m/s)</source>
        <translation>速度（米/秒）</translation>
    </message>
    <message>
        <source>Accuracy (m)</source>
        <translation>精度（米）</translation>
    </message>
    <message>
        <source>Battery (%)</source>
        <translation>电量（%）</translation>
    </message>
</context>
<context>
    <name>layers</name>
    <message>
        <source>Water</source>
        <translation>水系</translation>
    </message>
    <message>
        <source>Streets</source>
        <translation>道路</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <source>District boundary</source>
        <translation>辖区边界</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>On-time closure rate by grid</source>
        <translation>网格按期结案率</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Patrol teams</source>
        <translation>巡逻队伍</translation>
    </message>
    <message>
        <source>Trails</source>
        <translation>轨迹</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>路线</translation>
    </message>
    <message>
        <source>Import preview</source>
        <translation>导入预览</translation>
    </message>
    <message>
        <source>Basemap (tiles)</source>
        <translation>底图（瓦片）</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>天网摄像头</translation>
    </message>
    <message>
        <source>Incident density</source>
        <translation>事件密度</translation>
    </message>
    <message>
        <source>Hot and cold spots (Gi*)</source>
        <translation>热点与冷点</translation>
    </message>
    <message>
        <source>Key rectification areas</source>
        <translation>重点整治区域</translation>
    </message>
    <message>
        <source>People under supervision (per grid)</source>
        <translation>重点人员（按网格计数）</translation>
    </message>
    <message>
        <source>Patrol plans</source>
        <translation>巡逻计划</translation>
    </message>
    <message>
        <source>Patrol coverage</source>
        <translation>巡逻覆盖</translation>
    </message>
</context>
<context>
    <name>legend</name>
    <message>
        <source>Main road</source>
        <translation>主干道</translation>
    </message>
    <message>
        <source>Secondary road</source>
        <translation>次干道</translation>
    </message>
    <message>
        <source>Minor street</source>
        <translation>支路</translation>
    </message>
    <message>
        <source>HD camera</source>
        <translation>高清点位</translation>
    </message>
    <message>
        <source>SD camera</source>
        <translation>标清点位</translation>
    </message>
    <message>
        <source>Camera offline</source>
        <translation>点位离线</translation>
    </message>
    <message>
        <source>Last 10 minutes, fading with age</source>
        <translation>最近 10 分钟，越早越淡</translation>
    </message>
    <message>
        <source>Route of the chosen team</source>
        <translation>所选队伍的路线</translation>
    </message>
    <message>
        <source>To be imported (not stored yet)</source>
        <translation>待导入（尚未保存）</translation>
    </message>
    <message>
        <source>District boundary</source>
        <translation>辖区边界</translation>
    </message>
    <message>
        <source>New: to accept and dispatch</source>
        <translation>新案件：待立案派遣</translation>
    </message>
    <message>
        <source>Being handled: team on its way or on scene</source>
        <translation>处置中：队伍在途或到场</translation>
    </message>
    <message>
        <source>Resolved: to verify and close</source>
        <translation>已处置：待核查结案</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Key rectification area</source>
        <translation>重点整治区域</translation>
    </message>
    <message>
        <source>Visits on time</source>
        <translation>按期走访</translation>
    </message>
    <message>
        <source>A visit overdue</source>
        <translation>有走访逾期</translation>
    </message>
    <message>
        <source>Someone out of supervision</source>
        <translation>有人脱管</translation>
    </message>
    <message>
        <source>Patrol plan</source>
        <translation>巡逻计划</translation>
    </message>
    <message>
        <source>Key area or key period</source>
        <translation>重点区域、重点时段</translation>
    </message>
    <message>
        <source>Walked</source>
        <translation>已巡</translation>
    </message>
    <message>
        <source>Planned, not walked</source>
        <translation>计划未巡</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Unknown category {category}.</source>
        <translation>未知的事件大类 {category}。</translation>
    </message>
    <message>
        <source>{subcategory} is not a type of {category}.</source>
        <translation>“{subcategory}”不属于“{category}”。</translation>
    </message>
    <message>
        <source>Unknown priority {priority}.</source>
        <translation>未知的紧急程度 {priority}。</translation>
    </message>
    <message>
        <source>Unknown source {source}.</source>
        <translation>未知的来源 {source}。</translation>
    </message>
    <message>
        <source>The location is not a valid longitude/latitude.</source>
        <translation>位置不是有效的经纬度。</translation>
    </message>
    <message>
        <source>Nobody is on duty: choose who you are first.</source>
        <translation>无人值班：请先选择值班人员。</translation>
    </message>
    <message>
        <source>{case_no} is not a duplicate of this report: merging needs the same category, within {radius_m} m and {minutes} minutes.</source>
        <translation>{case_no} 不是本次上报的重复事件：合并要求同一类别、距离 {radius_m} 米以内、{minutes} 分钟以内。</translation>
    </message>
    <message>
        <source>The case to merge into is not open any more.</source>
        <translation>要合并到的案件已不在办理中。</translation>
    </message>
    <message>
        <source>Unknown action {action}.</source>
        <translation>未知的操作 {action}。</translation>
    </message>
    <message>
        <source>There is no case {incident_id}.</source>
        <translation>没有案件 {incident_id}。</translation>
    </message>
    <message>
        <source>Case {case_no} is at stage “{stage}”: “{action}” is only possible at {allowed}.</source>
        <translation>案件 {case_no} 处于“{stage}”阶段：“{action}”只能在{allowed}阶段进行。</translation>
    </message>
    <message>
        <source>A callback records the reporter&apos;s satisfaction, or that they could not be reached: choose one.</source>
        <translation>回访须记录报案人的满意程度，或未联系上：请选择一项。</translation>
    </message>
    <message>
        <source>A dispute is resolved as mediated successfully or not: choose the mediation result.</source>
        <translation>矛盾纠纷须以调解成功或不成功办结：请选择调解结果。</translation>
    </message>
    <message>
        <source>{actor} resolved this case; a different person must verify it.</source>
        <translation>{actor} 处置了本案件，必须由另一人核查。</translation>
    </message>
    <message>
        <source>An extension needs the approval of someone other than the person asking for it.</source>
        <translation>延期须由申请人以外的人批准。</translation>
    </message>
    <message>
        <source>Choose a team to dispatch.</source>
        <translation>请选择要派遣的队伍。</translation>
    </message>
    <message>
        <source>This team is already dispatched to this case.</source>
        <translation>该队伍已派往本案件。</translation>
    </message>
    <message>
        <source>{team} is busy on case {case_no} ({stage}, sent there by {by}). Reassign it to this case?</source>
        <translation>{team} 正在处理案件 {case_no}（{stage}，由 {by} 派遣）。改派到本案件？</translation>
    </message>
    <message>
        <source>Give the patrol plan a name.</source>
        <translation>请为巡逻计划命名。</translation>
    </message>
    <message>
        <source>Unknown kind of plan {plan_kind}: a plan is a route, an area or a stake-out point.</source>
        <translation>未知的计划类型 {plan_kind}：计划只能是巡逻路线、巡逻区域或定点守候。</translation>
    </message>
    <message>
        <source>A plan is for one team or for every team of a kind: choose one of the two.</source>
        <translation>计划要么指定一支队伍，要么指定一类队伍：二者选其一。</translation>
    </message>
    <message>
        <source>Unknown kind of team {kind}.</source>
        <translation>未知的队伍类型 {kind}。</translation>
    </message>
    <message>
        <source>There is no team {team}.</source>
        <translation>没有队伍 {team}。</translation>
    </message>
    <message>
        <source>Days are weekdays 1 to 7 (1 is Monday), each at most once: {days} is not.</source>
        <translation>日期用星期 1 至 7 表示（1 为星期一），每天最多一次：{days} 不符合。</translation>
    </message>
    <message>
        <source>Hours run from HH:MM to HH:MM within a day, and the start and the end differ.</source>
        <translation>时段格式为 HH:MM 至 HH:MM，且开始与结束不能相同。</translation>
    </message>
    <message>
        <source>A {plan_kind} plan needs a valid line (a route), polygon (an area) or point (a stake-out).</source>
        <translation>{plan_kind} 计划需要有效的几何：路线为线，区域为面，定点守候为点。</translation>
    </message>
    <message>
        <source>The plan would end before it begins.</source>
        <translation>计划的结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>The coverage asked for is a percentage from 1 to 100.</source>
        <translation>要求的覆盖率是 1 到 100 之间的百分比。</translation>
    </message>
    <message>
        <source>A checkpoint or stake-out radius is from 5 to 500 m.</source>
        <translation>必到点或守候点的半径应在 5 到 500 m 之间。</translation>
    </message>
    <message>
        <source>A day off the pattern is either cancelled or has its own hours.</source>
        <translation>例外日要么取消，要么另定时段。</translation>
    </message>
    <message>
        <source>There is no patrol plan {plan}.</source>
        <translation>没有巡逻计划 {plan}。</translation>
    </message>
    <message>
        <source>That plan already has a change on {day}.</source>
        <translation>该计划在 {day} 已有调整。</translation>
    </message>
    <message>
        <source>Unknown grids: {grids}.</source>
        <translation>未知网格：{grids}。</translation>
    </message>
    <message>
        <source>A route needs at least two checkpoints.</source>
        <translation>巡逻路线至少需要两个必到点。</translation>
    </message>
    <message>
        <source>No street joins checkpoint {a} to checkpoint {b}.</source>
        <translation>必到点 {a} 与必到点 {b} 之间没有道路相连。</translation>
    </message>
    <message>
        <source>{plan} has not started: 15 minutes into its shift no team of it is on its route or in its area.</source>
        <translation>{plan} 未按时开始：上岗 15 分钟后仍没有队伍到达其路线或区域。</translation>
    </message>
    <message>
        <source>Say why the shift changes hands.</source>
        <translation>请说明换班原因。</translation>
    </message>
    <message>
        <source>There is no shift {shift} in the rota.</source>
        <translation>排班中没有班次 {shift}。</translation>
    </message>
    <message>
        <source>There is no person {person} in any team.</source>
        <translation>各队伍中都没有人员 {person}。</translation>
    </message>
    <message>
        <source>More than one person is called {person}: name the team too (NAME@TEAMCODE).</source>
        <translation>名叫 {person} 的不止一人：请同时写明队伍（姓名@队伍编号）。</translation>
    </message>
    <message>
        <source>{person} has this shift already.</source>
        <translation>{person} 已是这个班次的值班人。</translation>
    </message>
    <message>
        <source>That shift is over: a past shift is not swapped.</source>
        <translation>该班次已结束：已过去的班次不能换班。</translation>
    </message>
    <message>
        <source>{person} is on another shift at that time.</source>
        <translation>{person} 在该时段另有班次。</translation>
    </message>
    <message>
        <source>Nobody has been in the key area {plan} for 10 minutes during its key hours.</source>
        <translation>重点时段内，重点区域 {plan} 已有 10 分钟无人在岗。</translation>
    </message>
    <message>
        <source>The office database cannot be reached, so nothing was saved. Try again when the status bar says the connection is back.</source>
        <translation>无法连接中心数据库，本次操作未保存。请在状态栏显示连接恢复后重试。</translation>
    </message>
    <message>
        <source>Unknown breakdown {by}: use one of {known}.</source>
        <translation>未知的分组 {by}：可用 {known}。</translation>
    </message>
    <message>
        <source>There is no community {community}: the district&apos;s are {known}.</source>
        <translation>没有社区 {community}：本辖区的社区是 {known}。</translation>
    </message>
    <message>
        <source>Unknown unit {unit}: use one of {known}.</source>
        <translation>未知的分析单元 {unit}：可用 {known}。</translation>
    </message>
    <message>
        <source>The store has no district boundary to lay hexagons over.</source>
        <translation>数据库中没有辖区边界，无法铺设六边形网格。</translation>
    </message>
    <message>
        <source>Only {cells} cells: a hotspot analysis needs at least five.</source>
        <translation>只有 {cells} 个单元：热点分析至少需要 5 个。</translation>
    </message>
    <message>
        <source>Give the key area a name.</source>
        <translation>请填写重点整治区域的名称。</translation>
    </message>
    <message>
        <source>Say who answers for the key area.</source>
        <translation>请填写重点整治区域的责任人。</translation>
    </message>
    <message>
        <source>A key area is a valid polygon with an area.</source>
        <translation>重点整治区域必须是有效的面状多边形。</translation>
    </message>
    <message>
        <source>Unknown filter {filter}: use one of {known}.</source>
        <translation>未知的筛选条件 {filter}：可用 {known}。</translation>
    </message>
    <message>
        <source>Sign in first: only a signed-in account can do this.</source>
        <translation>请先登录：只有已登录的账号才能执行此操作。</translation>
    </message>
    <message>
        <source>{user} may not {permission}: none of the account&apos;s roles allows it.</source>
        <translation>{user} 无权{permission}：该账号的角色均不允许。</translation>
    </message>
    <message>
        <source>{user} works for other communities: this case is outside the account&apos;s scope.</source>
        <translation>{user} 负责其他社区：本案件不在该账号的范围内。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>The account {user} is disabled; ask an administrator.</source>
        <translation>账号 {user} 已停用，请联系管理员。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: {user} is locked for {minutes} minutes.</source>
        <translation>密码错误次数过多：{user} 已锁定 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>A user name is 2–32 letters, digits, Chinese characters, dots, dashes or underscores.</source>
        <translation>用户名为 2–32 个字母、数字、汉字、点、连字符或下划线。</translation>
    </message>
    <message>
        <source>A password needs at least {min} characters.</source>
        <translation>密码至少需要 {min} 个字符。</translation>
    </message>
    <message>
        <source>Unknown role {role}.</source>
        <translation>未知角色 {role}。</translation>
    </message>
    <message>
        <source>This store already has accounts; an administrator adds new ones.</source>
        <translation>本数据库已有账号；新账号由管理员添加。</translation>
    </message>
    <message>
        <source>There is already an account {user}.</source>
        <translation>已有账号 {user}。</translation>
    </message>
    <message>
        <source>There is no account {user}.</source>
        <translation>没有账号 {user}。</translation>
    </message>
    <message>
        <source>The last administrator cannot be disabled.</source>
        <translation>不能停用最后一个管理员。</translation>
    </message>
    <message>
        <source>{user} must change the password an administrator set before doing anything else.</source>
        <translation>{user} 须先修改管理员设置的密码，才能进行其他操作。</translation>
    </message>
    <message>
        <source>The new password must differ from the current one.</source>
        <translation>新密码不能与当前密码相同。</translation>
    </message>
    <message>
        <source>You resolved this case; a different person must verify it.</source>
        <translation>本案件由您处置完成，必须由另一人核查。</translation>
    </message>
    <message>
        <source>The audit trail is intact: {rows} entries, head {row} {hash}.</source>
        <translation>审计记录完整：共 {rows} 条，最新一条 {row} {hash}。</translation>
    </message>
    <message>
        <source>Audit entry {row} was altered after it was written.</source>
        <translation>审计记录第 {row} 条在写入后被修改。</translation>
    </message>
    <message>
        <source>The audit chain is broken at entry {row}: an entry before it was removed or inserted.</source>
        <translation>审计链在第 {row} 条处断开：其前面有记录被删除或插入。</translation>
    </message>
    <message>
        <source>The audit chain no longer reaches the head {hash}: entries were cut off its end.</source>
        <translation>审计链已到不了记录头 {hash}：末尾的记录被截掉了。</translation>
    </message>
    <message>
        <source>The append-only protection of the store was removed (its triggers are missing).</source>
        <translation>数据库的只增不改保护已被移除（触发器缺失）。</translation>
    </message>
    <message>
        <source>outside jurisdiction</source>
        <translation>辖区外</translation>
    </message>
    <message>
        <source>duplicate of {case_no}</source>
        <translation>与 {case_no} 重复</translation>
    </message>
    <message>
        <source>duplicate report {case_no}</source>
        <translation>重复上报 {case_no}</translation>
    </message>
    <message>
        <source>arrived: tracker within {radius_m} m</source>
        <translation>到场：定位在 {radius_m} 米内</translation>
    </message>
    <message>
        <source>approved by {approver}</source>
        <translation>批准人 {approver}</translation>
    </message>
    <message>
        <source>assigned by hand: {reason}</source>
        <translation>手动指派：{reason}</translation>
    </message>
    <message>
        <source>{reason} (approved by {approver})</source>
        <translation>{reason}（批准人 {approver}）</translation>
    </message>
    <message>
        <source>off duty</source>
        <translation>不在班</translation>
    </message>
    <message>
        <source>offline (no position)</source>
        <translation>离线（无定位）</translation>
    </message>
    <message>
        <source>position {minutes} min old</source>
        <translation>定位已 {minutes} 分钟未更新</translation>
    </message>
    <message>
        <source>busy on another case ({stage})</source>
        <translation>正在处理其他案件（{stage}）</translation>
    </message>
    <message>
        <source>unreachable on the street graph</source>
        <translation>道路网无法到达</translation>
    </message>
    <message>
        <source>No team of a suitable kind exists for this category.</source>
        <translation>没有适合此类事件的队伍。</translation>
    </message>
    <message>
        <source>The district has no streets yet: import them before ranking teams by road.</source>
        <translation>辖区还没有道路数据：请先导入道路，才能按道路通行时间排序队伍。</translation>
    </message>
    <message>
        <source>No team can be recommended: {counts}.</source>
        <translation>无可推荐队伍：{counts}。</translation>
    </message>
    <message>
        <source>{n} {reason}</source>
        <translation>{n} 支{reason}</translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation>时段的结束早于开始。</translation>
    </message>
    <message>
        <source>The window is {days} days long; narrow it to {limit} days or less.</source>
        <translation>时段长 {days} 天；请缩短到 {limit} 天以内。</translation>
    </message>
    <message>
        <source>{grids}: {n} grids share the code {code}</source>
        <translation>{grids}：{n} 个网格使用同一编号 {code}</translation>
    </message>
    <message>
        <source>{grids}: no geometry</source>
        <translation>{grids}：没有几何图形</translation>
    </message>
    <message>
        <source>{grids}: a grid must be one polygon, not a {gtype}</source>
        <translation>{grids}：网格必须是一个多边形，而不是 {gtype}</translation>
    </message>
    <message>
        <source>{grids}: invalid polygon ({reason})</source>
        <translation>{grids}：多边形无效（{reason}）</translation>
    </message>
    <message>
        <source>{grids}: {area} m² is below {limit} m²</source>
        <translation>{grids}：面积 {area} 平方米，小于下限 {limit} 平方米</translation>
    </message>
    <message>
        <source>{grids}: {area} m² is above {limit} m²</source>
        <translation>{grids}：面积 {area} 平方米，大于上限 {limit} 平方米</translation>
    </message>
    <message>
        <source>{grids}: {area} m² overlap</source>
        <translation>{grids}：重叠 {area} 平方米</translation>
    </message>
    <message>
        <source>{grids}: {area} m² inside the district belongs to no grid</source>
        <translation>{grids}：辖区内有 {area} 平方米不属于任何网格</translation>
    </message>
    <message>
        <source>{grids}: {area} m² outside the district</source>
        <translation>{grids}：有 {area} 平方米超出辖区</translation>
    </message>
    <message>
        <source>cameras changing grid: {n}</source>
        <translation>所属网格改变的天网点位：{n} 个</translation>
    </message>
    <message>
        <source>open incidents changing grid: {n}</source>
        <translation>所属网格改变的在办事件：{n} 件</translation>
    </message>
    <message>
        <source>past incidents (90 days) whose grid would differ: {n}</source>
        <translation>近 90 天事件中所属网格会不同的：{n} 件</translation>
    </message>
    <message>
        <source>teams whose home grid no longer exists: {n}</source>
        <translation>所属网格将不存在的队伍：{n} 支</translation>
    </message>
    <message>
        <source>grids without a grid worker: {n}</source>
        <translation>没有网格员的网格：{n} 个</translation>
    </message>
    <message>
        <source>{file}: no such file.</source>
        <translation>{file}：文件不存在。</translation>
    </message>
    <message>
        <source>{file} cannot be read as {what}: {reason}</source>
        <translation>{file} 无法作为{what}读取：{reason}</translation>
    </message>
    <message>
        <source>{file} has no features or rows to import.</source>
        <translation>{file} 中没有可导入的要素或数据行。</translation>
    </message>
    <message>
        <source>{file} has {count} features or rows; at most {limit} can be imported at once.</source>
        <translation>{file} 有 {count} 个要素或数据行，一次最多导入 {limit} 个。</translation>
    </message>
    <message>
        <source>{file} has several layers ({layers}); say which one to import.</source>
        <translation>{file} 有多个图层（{layers}），请指定要导入的图层。</translation>
    </message>
    <message>
        <source>{file} has no layer {layer} (it has: {layers}).</source>
        <translation>{file} 中没有图层 {layer}（现有：{layers}）。</translation>
    </message>
    <message>
        <source>{file} does not say its coordinate system (no .prj or CRS); declare it (for example EPSG:4490, or EPSG:4545 for a Gauss-Krüger zone) and import again.</source>
        <translation>{file} 没有说明坐标系（缺少 .prj 或 CRS）；请指定坐标系（如 EPSG:4490，高斯-克吕格分带如 EPSG:4545）后重新导入。</translation>
    </message>
    <message>
        <source>{crs} is not a coordinate system GridWatch knows ({reason}).</source>
        <translation>无法识别的坐标系 {crs}（{reason}）。</translation>
    </message>
    <message>
        <source>{file}: the coordinates are not longitude/latitude after conversion from {crs} (for example {x}, {y}); is the declared coordinate system right?</source>
        <translation>{file}：按 {crs} 转换后的坐标不是经纬度（例如 {x}，{y}）；指定的坐标系是否正确？</translation>
    </message>
    <message>
        <source>{coords} applies to longitude/latitude; {file} is in a projected system ({crs}).</source>
        <translation>{coords} 只适用于经纬度；{file} 是投影坐标（{crs}）。</translation>
    </message>
    <message>
        <source>{file}: {count} bad feature(s) or row(s); nothing was imported.</source>
        <translation>{file}：有 {count} 个错误要素或数据行，未导入任何内容。</translation>
    </message>
    <message>
        <source>Unknown import kind {kind}.</source>
        <translation>未知的导入类型 {kind}。</translation>
    </message>
    <message>
        <source>Unknown coordinate system {coords} (use wgs84, cgcs2000, gcj02 or bd09).</source>
        <translation>未知的坐标类型 {coords}（可用 wgs84、cgcs2000、gcj02、bd09）。</translation>
    </message>
    <message>
        <source>The field mapping {mapping} names a column {column} that {file} does not have (it has: {columns}).</source>
        <translation>字段对应 {mapping} 中的列 {column} 在 {file} 中不存在（现有：{columns}）。</translation>
    </message>
    <message>
        <source>{file} has no column for {fields} (it has: {columns}); map them or use the template.</source>
        <translation>{file} 缺少 {fields} 对应的列（现有：{columns}）；请指定对应关系或使用模板。</translation>
    </message>
    <message>
        <source>The store has no district boundary; create it with gridwatch init first.</source>
        <translation>数据库没有辖区边界；请先用 gridwatch init 创建。</translation>
    </message>
    <message>
        <source>The import was cancelled; the store is unchanged.</source>
        <translation>导入已取消，数据库未改变。</translation>
    </message>
    <message>
        <source>{file}: none of its features lie in or near the district; is the coordinate system right?</source>
        <translation>{file}：没有任何要素位于辖区内或附近；坐标系是否正确？</translation>
    </message>
    <message>
        <source>{what} {key} is not in the file but cannot be removed: {reason}. Keep it in the file.</source>
        <translation>{what} {key} 不在文件中，但不能删除：{reason}。请在文件中保留它。</translation>
    </message>
    <message>
        <source>row {row}, {column}: missing value</source>
        <translation>第 {row} 行，{column}：缺少数值</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a number</source>
        <translation>第 {row} 行，{column}：{value} 不是数字</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is outside {low}–{high}</source>
        <translation>第 {row} 行，{column}：{value} 超出 {low}–{high}</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a time of day (HH:MM)</source>
        <translation>第 {row} 行，{column}：{value} 不是时刻（时:分）</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a phone number</source>
        <translation>第 {row} 行，{column}：{value} 不是电话号码</translation>
    </message>
    <message>
        <source>row {row}, {column}: unknown value {value} (allowed: {allowed})</source>
        <translation>第 {row} 行，{column}：未知取值 {value}（可用：{allowed}）</translation>
    </message>
    <message>
        <source>row {row}, {column}: no team {value}</source>
        <translation>第 {row} 行，{column}：没有队伍 {value}</translation>
    </message>
    <message>
        <source>row {row}, {column}: no grid {value} in the grid set in force</source>
        <translation>第 {row} 行，{column}：现行网格中没有 {value}</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} appears again (first in row {first})</source>
        <translation>第 {row} 行，{column}：{value} 重复（首次出现在第 {first} 行）</translation>
    </message>
    <message>
        <source>row {row}: the point {lon}, {lat} is outside the district</source>
        <translation>第 {row} 行：点位 {lon}，{lat} 在辖区外</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a date (YYYY-MM-DD)</source>
        <translation>第 {row} 行，{column}：{value} 不是日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a date and time (YYYY-MM-DD HH:MM)</source>
        <translation>第 {row} 行，{column}：{value} 不是日期时间（YYYY-MM-DD HH:MM）</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not an 18-digit ID number</source>
        <translation>第 {row} 行，{column}：{value} 不是18位身份证号码</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} holds no real date of birth</source>
        <translation>第 {row} 行，{column}：{value} 的出生日期不存在</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} has a wrong check digit (mistyped?)</source>
        <translation>第 {row} 行，{column}：{value} 校验位错误（是否输错？）</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is already in the ledger as {ledger_no}</source>
        <translation>第 {row} 行，{column}：{value} 已在台账中（{ledger_no}）</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not one of the office&apos;s people (team members, staff, accounts)</source>
        <translation>第 {row} 行，{column}：{value} 不是本中心人员（队员、工作人员或账号）</translation>
    </message>
    <message>
        <source>row {row}: no {helper_roles} (a person of kind {person_kind} needs them)</source>
        <translation>第 {row} 行：缺少{helper_roles}（{person_kind}人员必须配备）</translation>
    </message>
    <message>
        <source>row {row}, {column}: no person {value} in the ledger</source>
        <translation>第 {row} 行，{column}：台账中没有 {value}</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not one of this person&apos;s responsible persons</source>
        <translation>第 {row} 行，{column}：{value} 不是该人员的责任人</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a member of team {team}</source>
        <translation>第 {row} 行，{column}：{value} 不是队伍 {team} 的成员</translation>
    </message>
    <message>
        <source>row {row}: the shift from {value} overlaps this person&apos;s shift in row {first}</source>
        <translation>第 {row} 行：{value} 开始的班次与此人第 {first} 行的班次重叠</translation>
    </message>
    <message>
        <source>row {row}: the shift from {value} overlaps a shift this person has in the rota already</source>
        <translation>第 {row} 行：{value} 开始的班次与此人排班中已有的班次重叠</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is in the future</source>
        <translation>第 {row} 行，{column}：{value} 是将来的时间</translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is before the supervision began ({since})</source>
        <translation>第 {row} 行，{column}：{value} 早于纳入管理日期（{since}）</translation>
    </message>
    <message>
        <source>No such record in the ledger ({what} {id}).</source>
        <translation>台账中没有该记录（{what} {id}）。</translation>
    </message>
    <message>
        <source>{field}: {value} is not allowed here.</source>
        <translation>{field}：不允许填写 {value}。</translation>
    </message>
    <message>
        <source>{value} is not a valid 18-digit ID number.</source>
        <translation>{value} 不是有效的18位身份证号码。</translation>
    </message>
    <message>
        <source>ID number {value} is already in the ledger as {ledger_no}.</source>
        <translation>身份证号 {value} 已在台账中（{ledger_no}）。</translation>
    </message>
    <message>
        <source>The address ({lon}, {lat}) is outside the district.</source>
        <translation>住址（{lon}，{lat}）不在辖区内。</translation>
    </message>
    <message>
        <source>A person of kind {person_kind} needs {helper_roles}.</source>
        <translation>{person_kind}人员必须配备{helper_roles}。</translation>
    </message>
    <message>
        <source>The visit time {t} is in the future: record visits that took place.</source>
        <translation>走访时间 {t} 是将来的时间：请登记已完成的走访。</translation>
    </message>
    <message>
        <source>The visit time {t} is before the supervision began ({since}).</source>
        <translation>走访时间 {t} 早于纳入管理日期（{since}）。</translation>
    </message>
    <message>
        <source>That visitor is not one of this person&apos;s responsible persons.</source>
        <translation>该走访人不是此人员的责任人。</translation>
    </message>
    <message>
        <source>Say who visited.</source>
        <translation>请填写走访人。</translation>
    </message>
    <message>
        <source>{case_no} is not a dispute case: only disputes are mediated.</source>
        <translation>{case_no} 不是矛盾纠纷案件，只有纠纷才能调解。</translation>
    </message>
    <message>
        <source>{case_no} already has a mediation record.</source>
        <translation>{case_no} 已有调解记录。</translation>
    </message>
    <message>
        <source>A mediation needs the parties and at least one mediator.</source>
        <translation>调解记录需要当事人和至少一名调解员。</translation>
    </message>
    <message>
        <source>The mediation has not ended in an agreement yet.</source>
        <translation>该调解尚未达成协议。</translation>
    </message>
    <message>
        <source>The mediation has already ended ({outcome}).</source>
        <translation>该调解已结束（{outcome}）。</translation>
    </message>
    <message>
        <source>An agreement needs the written agreement&apos;s reference number.</source>
        <translation>达成协议须填写调解协议书编号。</translation>
    </message>
    <message>
        <source>The follow-up visit comes 30 days after the agreement: not before {day}.</source>
        <translation>回访应在达成协议30天后进行：不早于 {day}。</translation>
    </message>
    <message>
        <source>A petition needs its five responsible persons ({petition_roles}) and a working group (5+1).</source>
        <translation>信访件须落实五名责任人（{petition_roles}）和一个工作专班（5+1）。</translation>
    </message>
    <message>
        <source>The zero-report for {day} is already in.</source>
        <translation>{day} 的零报告已报送。</translation>
    </message>
    <message>
        <source>A zero-report is for today or a day before, not {day}.</source>
        <translation>零报告只能报送今天或以前，不能是 {day}。</translation>
    </message>
    <message>
        <source>feature {row}: empty geometry</source>
        <translation>第 {row} 个要素：几何为空</translation>
    </message>
    <message>
        <source>feature {row}: a {gtype}, not a {want}</source>
        <translation>第 {row} 个要素：是 {gtype}，不是 {want}</translation>
    </message>
    <message>
        <source>feature {row}: invalid geometry ({reason})</source>
        <translation>第 {row} 个要素：几何无效（{reason}）</translation>
    </message>
    <message>
        <source>feature {row} ({code}): {parts} separate parts (a grid is one polygon)</source>
        <translation>第 {row} 个要素（{code}）：由 {parts} 个分离部分组成（网格必须是一个多边形）</translation>
    </message>
    <message>
        <source>The street graph has {pieces} pieces: the biggest ({segments} segments, {km} km) is routable; the others are listed with their place.</source>
        <translation>路网由 {pieces} 个互不连通的部分组成：最大的部分（{segments} 个路段，{km} 公里）用于路径计算，其余部分及位置列在下面。</translation>
    </message>
    <message>
        <source>piece of {segments} segment(s), {m} m, near {lon}, {lat}</source>
        <translation>{segments} 个路段，{m} 米，位于 {lon}，{lat} 附近</translation>
    </message>
    <message>
        <source>{count} street(s) of unknown class were imported as minor streets ({values}).</source>
        <translation>{count} 条道路等级未知，按支路导入（{values}）。</translation>
    </message>
    <message>
        <source>{count} building(s) without a known use are drawn as residential.</source>
        <translation>{count} 栋建筑用途未知，按住宅显示。</translation>
    </message>
    <message>
        <source>{count} feature(s) outside the district and its margin were left out.</source>
        <translation>{count} 个要素在辖区及缓冲范围外，未导入。</translation>
    </message>
</context>
</TS>
