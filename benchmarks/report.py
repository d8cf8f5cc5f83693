"""RESULTS.md: one block per section, replaced when that section runs again; notes are kept."""

from __future__ import annotations

import re
from pathlib import Path


def _ok(flag: bool) -> str:
    return "✅" if flag else "❌"


def _pages(rows: list[dict]) -> str:
    lines = [
        "| 页面 / API | 用户 | 中位数 ms | 95 分位 ms | 一行底线 ms | 倍数 | ≤ 3× | "
        "同行底线 ms | 倍数（中位） | 倍数（95） | ≤ 2× | SQL 条数 | SQL 占时 | 同行底线 SQL 占时 |",
        "|---|---|---:|---:|---:|---:|:-:|---:|---:|---:|:-:|---:|---:|---:|",
    ]
    for r in rows:
        if "rows_ratio" in r:
            same = (
                f"{r['rows_floor_median_ms']} | {r['rows_ratio']:.2f}× | "
                f"{r['rows_ratio_p95']:.2f}× | {_ok(r['rows_ok'])}"
            )
            same_sql = f"{r.get('rows_floor_sql_share', 0):.0%}"
        else:
            same, same_sql = "– | – | – | –", "–"
        lines.append(
            f"| {r['page']} `{r['url']}` | {r['user']} | {r['median_ms']} | {r['p95_ms']} | "
            f"{r['floor_median_ms']} | {r['ratio']:.2f}× | {_ok(r['ok'])} | {same} | "
            f"{r['queries']} | {r.get('sql_share', 0):.0%} | {same_sql} |"
        )
    lines.append("")
    lines.append(
        "两条底线，与页面交替测量：“一行底线”是读一行的最小登录视图；“同行底线”"
        "（`benchmarks/floors.py`）用一条原生 SQL 取同一用户、同一顺序的同一页 50 行及总数"
        "（`COUNT(*) OVER ()`），页面用同一模板、同样的上下文键渲染，API 用普通 dict 按序列化器"
        "的字段名拼出 DRF 的分页结构。同行底线不含另需查询的面板（现场检查列表的分县进度表、"
        "企业自查列表的阶段时间），每次都实数总数（页面读缓存的总数），不处理查询参数；"
        "`tests/demo/test_bench_floors.py` 守住它与真实页面、API 的行、顺序、总数和输出一致。"
    )
    lines.append("")
    lines.append(
        "SQL 条数随角色不同（权限、授权、筛选项各一条），不随行数变化：省级用户面对十几万行、"
        "县级用户几百行，同一角色的条数与行数无关；`tests/test_query_counts.py` 在测试中对每个"
        "列表、导出和 API 列表守住这一点（行数增加前后条数相同）。“SQL 占时”是一次请求中数据库"
        "所占的比例，其余是 Python（模板渲染或序列化）。"
    )
    return "\n".join(lines)


def _counts(rows: list[dict]) -> str:
    lines = [
        "| 统计 | 中位数 ms | 95 分位 ms | GROUP BY 中位数 ms | 倍数 | ≤ 1.5× |",
        "|---|---:|---:|---:|---:|:-:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['median_ms']} | {r['p95_ms']} | {r['floor_median_ms']} | "
            f"{r['ratio']:.2f}× | {_ok(r['ok'])} |"
        )
    return "\n".join(lines)


def _pdf(rows: list[dict]) -> str:
    lines = [
        "| PDF | 中位数 ms | 95 分位 ms | WeasyPrint 单独 ms | 倍数 | ≤ 1.2× 且约 1 秒 |",
        "|---|---:|---:|---:|---:|:-:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['median_ms']} | {r['p95_ms']} | {r['floor_median_ms']} | "
            f"{r['ratio']:.2f}× | {_ok(r['ok'])} |"
        )
    return "\n".join(lines)


def _files(rows: list[dict], goal: str, floor: str) -> str:
    # a long export or import: the request only starts a background job (under 1 s), the job's
    # own time is the figure compared with the floor
    jobs = any("request_seconds" in r for r in rows)
    head = "| 项目 | 请求 s | 后台任务用时 s |" if jobs else "| 项目 | 用时 s |"
    lines = [
        f"{head} 内存增长 MB | {floor} s | {floor}内存增长 MB | 倍数 | {goal} |",
        "|---|---:|" + ("---:|" if jobs else "") + "---:|---:|---:|---:|:-:|",
    ]
    for r in rows:
        request = f" {r.get('request_seconds', 0):.2f} |" if jobs else ""
        lines.append(
            f"| {r['name']} |{request} {r['seconds']:.1f} | {r['growth_mb']:.0f} | "
            f"{r['floor_seconds']:.1f} | {r['floor_growth_mb']:.0f} | {r['ratio']:.2f}× | "
            f"{_ok(r['ok'])} |"
        )
    return "\n".join(lines)


def _clocks(rows: list[dict]) -> str:
    lines = [
        "| 项目 | 期限数 | 中位数 s | 95 分位 s | 裸循环 s | 倍数 | SQL 条数（服务 / 裸循环） | ≤ 3× |",
        "|---|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['rows']} | {r['seconds']:.2f} | {r['p95_seconds']:.2f} | "
            f"{r['floor_seconds']:.2f} | {r['ratio']:.1f}× | {r['queries']} / {r['floor_queries']} "
            f"| {_ok(r['ok'])} |"
        )
    lines.append("")
    lines.append(
        "每轮之前用一条 UPDATE 把全部未完成期限的日历版本改旧，两边都重算全部；“裸循环”用两条查询"
        "读同样的行及其案件的中止等期间，在同一个 WorkingCalendar 上算出同样的届满日，一条 UPDATE "
        "写回（一个事务）。首轮不计时，核对两边写出的日期相同。"
    )
    return "\n".join(lines)


def _rectification(result: dict) -> str:
    lines = [
        "| 页面 | 用户 | 中位数 ms | 95 分位 ms | 一行底线 ms | 倍数 | ≤ 3× | SQL 条数 | SQL 占时 |",
        "|---|---|---:|---:|---:|---:|:-:|---:|---:|",
    ]
    for r in result.get("pages", []):
        lines.append(
            f"| {r['page']} `{r['url']}` | {r['user']} | {r['median_ms']} | {r['p95_ms']} | "
            f"{r['floor_median_ms']} | {r['ratio']:.2f}× | {_ok(r['ok'])} | {r['queries']} | "
            f"{r.get('sql_share', 0):.0%} |"
        )
    lines += [
        "",
        "| 导出 | 行数 | 用时 s | 内存增长 MB | openpyxl write-only s | write-only 内存增长 MB | "
        "倍数 | ≤ 1.3× |",
        "|---|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for r in result.get("exports", []):
        lines.append(
            f"| {r['name']} | {r['rows']} | {r['seconds']:.1f} | {r['growth_mb']:.0f} | "
            f"{r['floor_seconds']:.1f} | {r['floor_growth_mb']:.0f} | {r['ratio']:.2f}× | "
            f"{_ok(r['ok'])} |"
        )
    lines += [
        "",
        "| 登记造册 | 方案 | 事项 | 转入整改中的问题 | 中位数 s | 95 分位 s | 批量写入 s | 倍数 | "
        "SQL 条数（服务 / 批量） | 审计记录 | ≤ 3× |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for r in result.get("build", []):
        lines.append(
            f"| {r['name']} | {r['plans']} | {r['items']} | {r['moved']} | {r['seconds']:.1f} | "
            f"{r['p95_seconds']:.1f} | {r['floor_seconds']:.2f} | {r['ratio']:.1f}× | "
            f"{r['queries']} / {r['floor_queries']} | {r['audit_rows']} | {_ok(r['ok'])} |"
        )
    lines.append("")
    lines.append(
        "页面与一行底线交替测量（同 `pages`）。导出：每次一个新进程，`items_workbook(items_for_export"
        "(...))` 对照 openpyxl write-only 写同样行数、同样 29 列（一条 SQL 取出，措施、节点、案件、"
        "佐证在子查询里拼好），各取最快一次。登记造册在库的临时副本上（`CREATE DATABASE … TEMPLATE"
        "`，测完删除）：每次之前撤销该市的整改方案（方案、事项及其下各表删除，问题恢复到第一条指向"
        "整改事项的记录之前的状态），服务与批量写入交替；批量写入是一条 SQL（方案、事项、事项记录、"
        "第一条措施、转入整改中的问题及其台账记录），不写审计记录。首轮同时核对两边写出的行相同。"
    )
    return "\n".join(lines)


def _crosscheck(result: dict) -> str:
    lines = [
        "| 步骤 | 规模 | 中位数 s | 95 分位 s | ≤ 10 s |",
        "|---|---|---:|---:|:-:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['name']} | {r['size']} | {r['median']:.2f} | {r['p95']:.2f} | {_ok(r['ok'])} |"
        )
    lines.append("")
    lines.append(
        f"每项 {result['rounds']} 次，每次在回滚的事务里：新建省级轮次（10%，每市至少 3 家，四项风险"
        "信号加权），抽取、复核抽取、随机编组、复核编组。系数 5 的抽样框为系数 1 的抽样框复制五份"
        "（单位编号错开），只测内存中的抽取与摘要；读取抽样框是一次扫描，随重点排污单位数线性增长。"
    )
    return "\n".join(lines)


def _load(result: dict) -> str:
    lines = [
        f"{result['users']} 名县级执法人员，持续 {result['duration']}，gunicorn（gunicorn.conf.py）。",
        "",
        "| 请求 | 次数 | 失败 | 中位数 ms | 95 分位 ms | 99 分位 ms | 每秒 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["requests"]:
        lines.append(
            f"| {r['name']} | {r['count']} | {r['failures']} | {r['median_ms']} | {r['p95_ms']} | "
            f"{r['p99_ms']} | {r['rps']} |"
        )
    lines.append("")
    lines.append(f"零错误：{_ok(result['ok'])}")
    if result.get("failure_samples"):
        lines += ["", "```", result["failure_samples"], "```"]
    return "\n".join(lines)


TITLES = {
    "pages": "页面与 API 速度（系数 {factor:g}）",
    "counts": "覆盖与统计（全省，系数 {factor:g}）",
    "pdf": "检查记录表 PDF",
    "exports": "Excel 导出（全省，系数 {factor:g}）",
    "imports": "排污单位名单导入",
    "load": "负载测试",
    "cases": "案件与到期提醒（系数 {factor:g}）",
    "clocks": "节假日数据更新后重算期限（系数 {factor:g}）",
    "rectification": "指导整改：整改台账、导出与一键登记造册（系数 {factor:g}）",
    "crosscheck": "异地核查：抽样与随机编组（系数 {factor:g}）",
}


def render(results: dict, *, factor: float, machine: str, when) -> str:
    stamp = when.strftime("%Y-%m-%d %H:%M")
    blocks = []
    makers = {
        "pages": _pages,
        "counts": _counts,
        "pdf": _pdf,
        "exports": lambda r: _files(r, "请求 < 1 s，任务 ≤ 1.3× 且内存平稳", "openpyxl write-only"),
        "imports": lambda r: _files(r, "请求 < 1 s，任务 ≤ 3×", "openpyxl 只读读取"),
        "load": _load,
        "cases": _pages,
        "clocks": _clocks,
        "rectification": _rectification,
        "crosscheck": _crosscheck,
    }
    for key, make in makers.items():
        if key not in results:
            continue
        title = TITLES[key].format(factor=factor)
        body = make(results[key])
        blocks.append(
            f"<!-- bench:{key}:start -->\n### {title}\n\n_{stamp}，{machine}_\n\n{body}\n"
            f"<!-- bench:{key}:end -->"
        )
    if results.get("generation_seconds"):
        blocks.append(
            f"<!-- bench:generation:start -->\n### 数据生成\n\n_{stamp}_：`generate_scale --factor "
            f"{factor:g}` 用时 {results['generation_seconds']:.0f} 秒。\n<!-- bench:generation:end -->"
        )
    if results.get("completion_seconds"):
        blocks.append(
            f"<!-- bench:completion:start -->\n### 补写新增阶段的数据\n\n_{stamp}_：`generate_scale "
            f"--complete`（后来新增阶段的数据：一企一案整改方案、执法能手库与专家库）用时 {results['completion_seconds']:.0f} 秒。\n"
            "<!-- bench:completion:end -->"
        )
    return "\n\n".join(blocks)


def merge(path: Path, text: str) -> str:
    """Replace each section's block in RESULTS.md; keep everything else as written."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    for match in re.finditer(r"(<!-- bench:(\w+):start -->.*?<!-- bench:\2:end -->)", text, re.S):
        block, key = match.group(1), match.group(2)
        pattern = re.compile(rf"<!-- bench:{key}:start -->.*?<!-- bench:{key}:end -->", re.S)
        if pattern.search(current):
            current = pattern.sub(lambda _m, b=block: b, current)
        else:
            current = current.rstrip() + "\n\n" + block + "\n"
    return current
