"""Child process for the cold-start figure: open the console, wait for the first full paint, then
pan and zoom a little and report the time and the peak RSS."""

import json
import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    store_path = sys.argv[1]
    from console.app import make_app
    from console.main_window import MainWindow
    from console import i18n
    from data.store.core import open_store
    make_app()
    i18n.install_language("zh_CN")
    store = open_store(store_path)
    win = MainWindow(store, "zh_CN", ask_sign_in=False)
    win.resize(1600, 1000)
    win.show()
    win.wait_ready()
    win.canvas.repaint()
    first_paint = time.time()
    for k in range(6):
        win.canvas.zoom_by(1.6)
        win.canvas.wait_rendered()
        win.canvas.repaint()
    win.canvas.zoom_home()
    win.canvas.wait_rendered()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first_paint": first_paint, "peak_rss_mb": rss_mb}))
    win.close()
    store.close()


if __name__ == "__main__":
    main()
