"""Chinese names of the county's streams, shared by the hub and the desktop's sync commands."""

STREAM_NAMES = {"catalog": "赋权事项目录", "definitions": "执法文书定义", "policy": "政策参数",
                "calendar": "节假日与调休安排", "roster": "执法人员名册", "number_blocks": "文号号段",
                "review": "法制审核意见", "tasks": "交办任务"}
