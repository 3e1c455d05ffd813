<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>About</name>
    <message>
        <source>GridWatch %1 — grid governance dispatch console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (logging to the terminal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About GridWatch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable / enable the selected account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the selected account&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the selected account the ticked roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name shown in case timelines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First password (changed at the first sign-in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an account and type its new password in the password field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: new password set; changed at the next sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdoptDialog</name>
    <message>
        <source>Every category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} cells are merged into one area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adopt as a key rectification area</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseAuditDialog</name>
    <message>
        <source>Audit of case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the reporter&apos;s number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every action on the case, from the audit trail (its entries are chained, so a changed or removed entry is detected).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseBoard</name>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 case(s) overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outside</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator set your password: choose your own before you continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Cancel checking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check again with this mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems (nothing is imported while there are any)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which column holds which field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First rows of the file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DispatchController</name>
    <message>
        <source>Signed in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in: %1 (sign in as someone else…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New incident here…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logged %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (outside jurisdiction)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reassign team?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team dispatched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediated successfully</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediation failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reporter says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An extension is approved by a verifier: they sign in here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DispatchPanel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Road</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recommended because</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign the selected team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign another team by hand…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank teams again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended teams (by road travel time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recommended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a case on the board, or right-click the map to log a new incident.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 past incident(s) within 50 m in the last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, same grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>position %1 min old</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>position current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 m in a straight line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reporter: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExceptionDialog</name>
    <message>
        <source>A day off the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled that day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedController</name>
    <message>
        <source>GridWatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen for trackers on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening for trackers on %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedPanel</name>
    <message>
        <source>Fixes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trackers bound to no team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bind to a team…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening for trackers on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not listening in this console (a feed process may be)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bind tracker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team for tracker %1:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedReasons</name>
    <message>
        <source>Stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate (same device and time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy worse than the threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Impossible jump</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time more than 7 days before receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time more than 5 min ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Impossible speed dropped (position kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Impossible heading dropped (position kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Impossible battery level dropped (position kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative accuracy dropped (position kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinates out of range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinates not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position (0, 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marked invalid by the tracker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown device</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HotspotsPanel</name>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By hexagon (250 m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heat map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find hotspots (Gi*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adopt selected as key area…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw an area…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click its corners on the map; double-click or Enter to finish, Esc to give up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key rectification areas: incidents per month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vs before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Year on year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} incidents in the heat map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key area is recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{hot} hot and {cold} cold cells of {n} ({perm} permutations).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish the grid editing first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click the corners of the area on the map; double-click to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An area needs at least three corners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The area drawn: {ha:.1f} ha.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>Locked after %1 minutes without use: sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import into the district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column of the file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncidentDialog</name>
    <message>
        <source>New incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, grid %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: outside jurisdiction, no grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera sees this place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No: a new case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge into an open case nearby?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cameras that see it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IndicatorsPanel</name>
    <message>
        <source>Whole district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By dispatcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week by week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month by month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time in stages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the on-time closure rate of each grid on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The period ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediation ledger: %1 concluded, success %2; recurrence %3 of %4 followed up; sweeps %5 of %6 done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duty windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Walked km</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol plans: no duty window ended in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol plans: %1 duty windows ended, %2 met their target (%3); mean coverage %4; least covered %5 (%6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not dispatched)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report to on scene (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P90 (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue rate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LedgersPanel</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role sees the number of people under supervision per grid on the map; the ledgers are for the ledger keeper, dispatchers and supervisors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Petitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Petitioner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsible (5+1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Petition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record zero-report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disputes found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record sweep result…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import people…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import visit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a contact…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsible as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tracker evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a visit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show on map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk / end…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of supervision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of supervision: case %1 opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 out of supervision · %2 overdue · %3 due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months: %1 mediated, success %2, recurrence %3 of %4 followed up; sweeps %5 of %6 done, %7 disputes found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recurred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no recurrence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month&apos;s sweeps (排查): %1 of %2 done, %3 late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s zero-reports: %1 of %2 in, %3 missing (due by 12:00)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID %1 · phone %2 · since %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: next visit due %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 m from home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT FOUND</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The person was found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a case for the follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tracker %1 m from the address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tracker fix near the address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit recorded (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>case %1 opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervision ended on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New mediation record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>names, separated by 、 or ,</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispute case number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediation record started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mediation session for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written agreement no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up visit for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dispute came back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sweep of grid %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sweep recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import people from Excel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a visit log from Excel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel or CSV (*.xlsx *.xlsm *.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPS / CGCS2000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GCJ-02 (Amap, Tencent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD-09 (Baidu)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rows imported from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bad row(s); nothing was imported:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every row is good: OK imports %1 row(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zero-report of %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zero-report recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact with the petitioner of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact recorded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loading the district…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol alerts: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GridWatch — grid governance dispatch console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom to district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the whole district (Home)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New district…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find grid or camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a grid, camera, team or case by code or name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Feed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen for trackers in this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulate the district&apos;s teams (demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hotspots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ledgers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rota</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo grid edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo grid edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case and dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New incident at the map centre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About GridWatch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The office database cannot be reached. The map shows what was last read; nothing can be saved until the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the office database again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Office database connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Office database unreachable: read only, reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the district: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GridWatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 grids · %2 open cases · %3 teams available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale 1:%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ManualAssignDialog</name>
    <message>
        <source>Assign a team by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>why this team (kept with the case, shown in replay)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ranking of the moment is recorded beside your choice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MapPanelsController</name>
    <message>
        <source>Shown when zoomed in to 1:%1 or closer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing matches “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewDistrictDialog</name>
    <message>
        <source>New district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the file when it names the district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the file says; e.g. EPSG:4545 when it has no .prj</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Boundary file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinates are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New store file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GIS files (*.shp *.gpkg *.geojson *.json *.kml *.dxf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatrolPanel</name>
    <message>
        <source>Measuring the plans from the tracks…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} checkpoints, {km:.2f} km along the streets. Click more, or save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alerts: every plan on duty now has started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duty window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(late)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held {m} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days off the pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stake-out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Walked km</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} duty windows ended in the period, {met} met their target ({pct}). Running now: {running}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{plan}: {day} is off the pattern.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a planner or a supervisor draws patrol plans: sign in as one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click the checkpoints on the map, each is put on its street; Backspace removes the last. One checkpoint makes a stake-out point.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} corners of the area. Click more, or save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click the area&apos;s corners on the map (three at least).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 checkpoint: a stake-out point, or click more for a route.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place the checkpoints first, and wait for the route to be proposed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every team: {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan {name} saved (#{id}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw a plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw a patrol route or stake-out point on the map, snapped to the streets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route along the streets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area (its corners)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortest order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit the checkpoints in the order of the shortest closed tour by road</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day off the plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the chosen plan on a day, or give it other hours that day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By duty window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure the plans again from the tracks</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>New patrol plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A route of {km:.2f} km along the streets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An area of {km2:.2f} km²: its streets are to be walked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A stake-out point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key area or key period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sun</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Planner</name>
    <message>
        <source>Move vertex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid attributes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add vertex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete vertex</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlannerPanel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave planner mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit grids (planner mode)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split the selected grid: click a line, double-click to end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply name, community and grid worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validate the draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish the draft…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grids are edited in a draft; the published set stays in force until the draft is published.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (click a grid)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft %1 · %2 grids · selected: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems: the draft can be published.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publishing is refused: %1 problem(s) in the draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish grid set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish draft %1 as the grid set in force from now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid set %1 published</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplayPanel</name>
    <message>
        <source>Replay this window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay the selected case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State GeoJSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the window…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a case first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing happened in this window: no positions and no case events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replaying %1 – %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>case events (click one to go there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended then: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. %2 (%3 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned by hand: %1, because “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>arrived after %1 min (ETA %2 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2/%3 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over the limit: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Monthly report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The whole district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF for printing (A4, map and charts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workbook (XLSX, numbers and formulas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the report to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write {path}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report written to {path}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RotaPanel</name>
    <message>
        <source>Reading the rota…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week of {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shifts} shifts. Grids with nobody planned at some hour: {grids} of {all} ({hours} grid-hours).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{plan}: {day} {hour:02d}:00 for {n} h, {k} on shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a rota</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rota (*.xlsx *.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking {file}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: {n} bad rows; nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: {n} shifts imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a team&apos;s hour in the week (by team) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody of that team is on shift then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shift is swapped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The week before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The week after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import rota…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap a shift…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key periods short of people</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Create the first administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This store has no accounts yet: create the administrator&apos;s account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to work at this console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name shown in case timelines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourcePage</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the file says; e.g. EPSG:4545 when it has no .prj</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write an Excel template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer or sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinates are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel (.xlsx) or CSV, one row per entry, headers as in the template. Every bad row is listed; nothing is imported until all rows are good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An OpenStreetMap extract (.osm.pbf) or any GIS file (Shapefile, GeoPackage, GeoJSON, KML, DXF) in any coordinate system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rosters (*.xlsx *.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenStreetMap and GIS files (*.pbf *.osm *.shp *.gpkg *.geojson *.json *.kml *.dxf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File to import</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SwapDialog</name>
    <message>
        <source>Shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap a shift</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TeamPanel</name>
    <message>
        <source>Search teams by name or code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the selected team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TeamTableModel</name>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (stale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WritePage</name>
    <message>
        <source>Write to the store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel writing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Creating the demo district…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the demo district: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the store.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>district</name>
    <message>
        <source>Choose the boundary file and where to write the new store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District “%1” created, measured in EPSG:%2. Open it and import its streets, grids, cameras and teams with File → Import….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading and checking the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Would add %1, change %2, remove %3 (%4 unchanged).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This replaces the %1 %2 in the store with %3 from %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add %1, change %2 and remove %3 entries from %4?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write what %1 holds into the store?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Streets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Water</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Office staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trackers (handsets)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Road class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open to pedestrians</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open to e-bikes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open to cars</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left out (outside the district)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>street segments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>junctions and ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pieces of the street graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>length (km)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one-way segments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>segments closed to cars</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now in the store (replaced)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenStreetMap ways read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>buildings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>water areas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grid problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cameras</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trackers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grid set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>published (1) or draft (0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WGS-84 (GPS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CGCS2000 (天地图, surveying)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GCJ-02 (高德, 腾讯)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD-09 (百度)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heading (°)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field of view (°)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area (km²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In stage since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed (m/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Battery (%)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>layers</name>
    <message>
        <source>Water</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Streets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time closure rate by grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Basemap (tiles)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident density</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hot and cold spots (Gi*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key rectification areas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People under supervision (per grid)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol coverage</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>legend</name>
    <message>
        <source>Main road</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secondary road</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minor street</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HD camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SD camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 10 minutes, fading with age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route of the chosen team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To be imported (not stored yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New: to accept and dispatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Being handled: team on its way or on scene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved: to verify and close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key rectification area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits on time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A visit overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone out of supervision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patrol plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key area or key period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Walked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned, not walked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Unknown category {category}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{subcategory} is not a type of {category}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown priority {priority}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown source {source}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The location is not a valid longitude/latitude.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is on duty: choose who you are first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{case_no} is not a duplicate of this report: merging needs the same category, within {radius_m} m and {minutes} minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case to merge into is not open any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown action {action}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no case {incident_id}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case {case_no} is at stage “{stage}”: “{action}” is only possible at {allowed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A callback records the reporter&apos;s satisfaction, or that they could not be reached: choose one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A dispute is resolved as mediated successfully or not: choose the mediation result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{actor} resolved this case; a different person must verify it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An extension needs the approval of someone other than the person asking for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a team to dispatch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This team is already dispatched to this case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{team} is busy on case {case_no} ({stage}, sent there by {by}). Reassign it to this case?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the patrol plan a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown kind of plan {plan_kind}: a plan is a route, an area or a stake-out point.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A plan is for one team or for every team of a kind: choose one of the two.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown kind of team {kind}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no team {team}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days are weekdays 1 to 7 (1 is Monday), each at most once: {days} is not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours run from HH:MM to HH:MM within a day, and the start and the end differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A {plan_kind} plan needs a valid line (a route), polygon (an area) or point (a stake-out).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan would end before it begins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The coverage asked for is a percentage from 1 to 100.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A checkpoint or stake-out radius is from 5 to 500 m.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A day off the pattern is either cancelled or has its own hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no patrol plan {plan}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That plan already has a change on {day}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown grids: {grids}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A route needs at least two checkpoints.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No street joins checkpoint {a} to checkpoint {b}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{plan} has not started: 15 minutes into its shift no team of it is on its route or in its area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the shift changes hands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no shift {shift} in the rota.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no person {person} in any team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than one person is called {person}: name the team too (NAME@TEAMCODE).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{person} has this shift already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That shift is over: a past shift is not swapped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{person} is on another shift at that time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody has been in the key area {plan} for 10 minutes during its key hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The office database cannot be reached, so nothing was saved. Try again when the status bar says the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown breakdown {by}: use one of {known}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no community {community}: the district&apos;s are {known}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown unit {unit}: use one of {known}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store has no district boundary to lay hexagons over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {cells} cells: a hotspot analysis needs at least five.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the key area a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say who answers for the key area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A key area is a valid polygon with an area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown filter {filter}: use one of {known}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in first: only a signed-in account can do this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} may not {permission}: none of the account&apos;s roles allows it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} works for other communities: this case is outside the account&apos;s scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account {user} is disabled; ask an administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong passwords: {user} is locked for {minutes} minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A user name is 2–32 letters, digits, Chinese characters, dots, dashes or underscores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A password needs at least {min} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown role {role}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This store already has accounts; an administrator adds new ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is already an account {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no account {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last administrator cannot be disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} must change the password an administrator set before doing anything else.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new password must differ from the current one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You resolved this case; a different person must verify it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail is intact: {rows} entries, head {row} {hash}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit entry {row} was altered after it was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit chain is broken at entry {row}: an entry before it was removed or inserted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit chain no longer reaches the head {hash}: entries were cut off its end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The append-only protection of the store was removed (its triggers are missing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outside jurisdiction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate of {case_no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate report {case_no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>arrived: tracker within {radius_m} m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved by {approver}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assigned by hand: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason} (approved by {approver})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off duty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline (no position)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>position {minutes} min old</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>busy on another case ({stage})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable on the street graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No team of a suitable kind exists for this category.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The district has no streets yet: import them before ranking teams by road.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No team can be recommended: {counts}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window ends before it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window is {days} days long; narrow it to {limit} days or less.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: {n} grids share the code {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: no geometry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: a grid must be one polygon, not a {gtype}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: invalid polygon ({reason})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: {area} m² is below {limit} m²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: {area} m² is above {limit} m²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: {area} m² overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: {area} m² inside the district belongs to no grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{grids}: {area} m² outside the district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cameras changing grid: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open incidents changing grid: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>past incidents (90 days) whose grid would differ: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>teams whose home grid no longer exists: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grids without a grid worker: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: no such file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} cannot be read as {what}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} has no features or rows to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} has {count} features or rows; at most {limit} can be imported at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} has several layers ({layers}); say which one to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} has no layer {layer} (it has: {layers}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} does not say its coordinate system (no .prj or CRS); declare it (for example EPSG:4490, or EPSG:4545 for a Gauss-Krüger zone) and import again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{crs} is not a coordinate system GridWatch knows ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: the coordinates are not longitude/latitude after conversion from {crs} (for example {x}, {y}); is the declared coordinate system right?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{coords} applies to longitude/latitude; {file} is in a projected system ({crs}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: {count} bad feature(s) or row(s); nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown import kind {kind}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown coordinate system {coords} (use wgs84, cgcs2000, gcj02 or bd09).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The field mapping {mapping} names a column {column} that {file} does not have (it has: {columns}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} has no column for {fields} (it has: {columns}); map them or use the template.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store has no district boundary; create it with gridwatch init first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The import was cancelled; the store is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: none of its features lie in or near the district; is the coordinate system right?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} {key} is not in the file but cannot be removed: {reason}. Keep it in the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: missing value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is outside {low}–{high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a time of day (HH:MM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a phone number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: unknown value {value} (allowed: {allowed})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: no team {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: no grid {value} in the grid set in force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} appears again (first in row {first})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}: the point {lon}, {lat} is outside the district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a date (YYYY-MM-DD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a date and time (YYYY-MM-DD HH:MM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not an 18-digit ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} holds no real date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} has a wrong check digit (mistyped?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is already in the ledger as {ledger_no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not one of the office&apos;s people (team members, staff, accounts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}: no {helper_roles} (a person of kind {person_kind} needs them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: no person {value} in the ledger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not one of this person&apos;s responsible persons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is not a member of team {team}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}: the shift from {value} overlaps this person&apos;s shift in row {first}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}: the shift from {value} overlaps a shift this person has in the rota already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is in the future</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}, {column}: {value} is before the supervision began ({since})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such record in the ledger ({what} {id}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {value} is not allowed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} is not a valid 18-digit ID number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number {value} is already in the ledger as {ledger_no}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address ({lon}, {lat}) is outside the district.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A person of kind {person_kind} needs {helper_roles}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visit time {t} is in the future: record visits that took place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visit time {t} is before the supervision began ({since}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That visitor is not one of this person&apos;s responsible persons.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say who visited.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{case_no} is not a dispute case: only disputes are mediated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{case_no} already has a mediation record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A mediation needs the parties and at least one mediator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mediation has not ended in an agreement yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mediation has already ended ({outcome}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An agreement needs the written agreement&apos;s reference number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The follow-up visit comes 30 days after the agreement: not before {day}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A petition needs its five responsible persons ({petition_roles}) and a working group (5+1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The zero-report for {day} is already in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A zero-report is for today or a day before, not {day}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feature {row}: empty geometry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feature {row}: a {gtype}, not a {want}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feature {row}: invalid geometry ({reason})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feature {row} ({code}): {parts} separate parts (a grid is one polygon)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The street graph has {pieces} pieces: the biggest ({segments} segments, {km} km) is routable; the others are listed with their place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>piece of {segments} segment(s), {m} m, near {lon}, {lat}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} street(s) of unknown class were imported as minor streets ({values}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} building(s) without a known use are drawn as residential.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} feature(s) outside the district and its margin were left out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
