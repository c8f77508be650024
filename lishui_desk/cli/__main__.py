"""``python -m lishui_desk.cli`` = ``lishui-desk``."""

import sys

from lishui_desk.cli import main

sys.exit(main())
