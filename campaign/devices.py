"""A browser's User-Agent header in words a reviewer reads (the header itself is kept as sent)."""

from __future__ import annotations

# the first match wins: an Android phone's header also names Linux, Edge's also names Chrome
SYSTEMS = [
    ("Android", "安卓手机"),
    ("iPhone", "苹果手机"),
    ("iPad", "苹果平板"),
    ("HarmonyOS", "鸿蒙设备"),
    ("Windows", "Windows 电脑"),
    ("Macintosh", "苹果电脑"),
    ("Linux", "Linux 电脑"),
]
BROWSERS = [
    ("MicroMessenger", "微信"),
    ("DingTalk", "钉钉"),
    ("Edg/", "Edge 浏览器"),
    ("Firefox/", "Firefox 浏览器"),
    ("Chrome/", "Chrome 浏览器"),
    ("Safari/", "Safari 浏览器"),
]


def describe(user_agent: str) -> str:
    if not user_agent:
        return "未记录"
    system = next((label for key, label in SYSTEMS if key in user_agent), "其他设备")
    browser = next((label for key, label in BROWSERS if key in user_agent), "其他浏览器")
    return f"{system} · {browser}"
