"""Qt Linguist translations of the GUI (``zh_CN.ts`` → ``zh_CN.qm``); rebuild with
``python -m ui.i18n.build``."""
