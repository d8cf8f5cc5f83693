"""Words for synthetic names (demo and scale data): trade names, surnames, given names."""

WORDS = [
    "华润",
    "中原",
    "宏达",
    "恒信",
    "金石",
    "天瑞",
    "豫能",
    "永安",
    "东方",
    "黄河",
    "伏牛",
    "嵩岳",
    "龙祥",
    "瑞丰",
    "新源",
    "昌盛",
    "博远",
    "兴业",
    "安泰",
    "卓越",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳军敏磊静强洋勇艳杰涛明超华"
