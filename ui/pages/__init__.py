"""The main window's pages: unlock, 工作台, 案件, 事项目录, 文书, 设置 and one workspace per open case."""
