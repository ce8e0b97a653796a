"""The chat page's 资料库 tab: the articles in the index, an upload box, a progress bar while the
index is rebuilt, and delete with a confirmation step.

Every action goes through ``rag.documents`` (the library behind ``/documents``) and the same token
check as the write routes. The token is asked once and kept in this page's session state (never
in the browser's storage), so a reload asks again. Once a job is done the chat tab answers from
the new index: both read the engine the library switched, per request.
"""
from __future__ import annotations

import html
from pathlib import Path

import gradio as gr

from rag.config import Settings
from rag.documents import Document, Library, check_admin, library_for
from rag.ingest import ARTICLE_SUFFIXES
from rag.jobs import Job
from rag.uploads import DocumentError

STAGES = {"queued": ("排队中", 2), "waiting for the index lock": ("等待索引锁", 5), "parsing": ("解析文章", 10),
          "embedding": ("计算向量", 10), "writing": ("写入索引", 85), "loading": ("加载新索引", 92),
          "done": ("完成", 100), "failed": ("失败", 100)}
STATUS = {"indexed": ("已索引", "#1a7f37"), "pending": ("索引中", "#9a6700"), "failed": ("失败", "#cf222e")}
NO_TOKEN = "服务器没有设置管理口令（RAG_ADMIN_TOKEN），上传和删除已关闭。请在服务器上设置该环境变量并重启。"
WRONG_TOKEN = "管理口令不对，请重新输入。"
ASK_TOKEN = "请先在上方输入管理口令。"
POLL_SECONDS = 0.5


def _notice(message: str, kind: str = "error") -> str:
    color = {"error": "#cf222e", "ok": "#1a7f37", "info": "#57606a"}[kind]
    return f'<div class="rag-lib-notice" data-kind="{kind}" style="color:{color}">{html.escape(message)}</div>'


def table_html(docs: list[Document]) -> str:
    if not docs:
        return '<div id="rag-lib-empty">资料库里还没有文章。</div>'
    head = "".join(f"<th>{h}</th>" for h in ("标题", "文件", "日期", "发言人", "段落", "状态", "加入时间"))
    rows = []
    for d in docs:
        label, color = STATUS[d.status]
        title = html.escape(d.headline or d.doc_id)
        link = f'<a href="/documents/{html.escape(d.doc_id)}" target="_blank">{title}</a>' if d.status != "failed" else title
        reason = f'<div class="rag-lib-reason">{html.escape(d.reason)}</div>' if d.reason else ""
        rows.append(f'<tr data-doc="{html.escape(d.doc_id)}" data-status="{d.status}"><td>{link}{reason}</td>'
                    f"<td>{html.escape(d.file)}</td><td>{html.escape(d.date or '')}</td><td>{d.speakers}</td>"
                    f'<td>{d.chunks}</td><td style="color:{color}">{label}</td>'
                    f"<td>{html.escape((d.added_at or '')[:16].replace('T', ' '))}</td></tr>")
    return (f'<table id="rag-lib-docs" style="width:100%;border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def progress_html(job: Job) -> str:
    label, percent = STAGES.get(job.stage, (job.stage, 50))
    if job.stage == "embedding" and job.total:
        percent = 10 + int(70 * job.done / job.total)
        label = f"{label} {job.done}/{job.total}"
    what = "上传" if job.kind == "add" else "删除"
    return (f'<div class="rag-progress" data-status="{job.status}" data-job="{job.id}">'
            f"<div>{what} {html.escape(job.doc_id)}：{html.escape(label)} · {job.elapsed_s:.1f} 秒</div>"
            f'<div style="background:#eaeef2;border-radius:4px;height:10px;overflow:hidden">'
            f'<div class="rag-progress-bar" style="width:{percent}%;height:10px;background:'
            f'{"#cf222e" if job.status == "failed" else "#2da44e"}"></div></div></div>')


def _authorise(settings: Settings, token: str) -> str | None:
    """None when ``token`` may write, else the message to show."""
    try:
        check_admin(settings, f"Bearer {token}" if token else None)
    except DocumentError as exc:
        return NO_TOKEN if exc.status == 403 else (WRONG_TOKEN if token else ASK_TOKEN)
    return None


def _finished_notice(job: Job, library: Library) -> str:
    if job.status == "failed":
        return _notice(f"{'上传' if job.kind == 'add' else '删除'}失败：{job.error}")
    if job.kind == "remove":
        return _notice(f"已删除 {job.doc_id}，索引已更新。", "ok")
    headline = next((d.headline for d in library.documents() if d.doc_id == job.doc_id), "") or job.doc_id
    return _notice(f"《{headline}》已加入索引，现在可以在「问答」里提问了。", "ok")


class Actions:
    """What the tab's buttons do; each looks the library up per event (the app's lifespan starts
    it, and a restarted app replaces it)."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def library(self) -> Library:
        return library_for(self.settings)

    def refresh(self):
        docs = self.library().documents()
        choices = [(f"{d.headline or d.doc_id}（{d.file}）", d.doc_id) for d in docs]
        return table_html(docs), gr.update(choices=choices, value=None)

    def log_in(self, value):
        if message := _authorise(self.settings, value):
            return "", gr.update(), _notice(message)
        return value, gr.update(visible=False), _notice("口令正确：本页可以上传和删除文章。", "ok")

    def start(self, action, token, *args):
        """Outputs: job id, timer, notice, progress."""
        if message := _authorise(self.settings, token):
            return None, gr.Timer(active=False), _notice(message), ""
        try:
            started = action(*args)
        except (DocumentError, OSError) as exc:
            return None, gr.Timer(active=False), _notice(f"未能开始：{exc}"), ""
        if started is None:  # a failed upload, forgotten: nothing to build
            return None, gr.Timer(active=False), _notice("已清除这条失败记录。", "ok"), ""
        return started.id, gr.Timer(active=True), _notice("已开始，请稍候…", "info"), progress_html(started)

    def add(self, path, overwrite):
        if not path:
            raise DocumentError("请先选择一个文件。")
        return self.library().add(Path(path).name, Path(path).read_bytes(), replace=bool(overwrite))

    def remove(self, doc_id):
        if not doc_id:
            raise DocumentError("请先选择要删除的文章。")
        return self.library().remove(doc_id)

    def poll(self, job_id):
        """Outputs: timer, progress, notice, table, delete choices, job id."""
        if not job_id:
            return gr.Timer(active=False), gr.update(), gr.update(), gr.update(), gr.update(), None
        current = self.library().job(job_id)
        if not current.finished:
            return gr.Timer(), progress_html(current), gr.update(), gr.update(), gr.update(), job_id
        table, choices = self.refresh()
        return (gr.Timer(active=False), progress_html(current), _finished_notice(current, self.library()), table,
                choices, None)


def _ask_to_confirm(doc_id):
    if not doc_id:
        return gr.update(visible=False), ""
    return gr.update(visible=True), f"确定删除「{html.escape(doc_id)}」吗？索引会随之重建。"


def library_tab(settings: Settings) -> gr.Tab:
    """The 资料库 tab, built inside the page's ``gr.Tabs``."""
    act = Actions(settings)
    with gr.Tab("资料库", id="library", elem_id="rag-library-tab") as tab:
        token, job = gr.State(""), gr.State(None)
        with gr.Row(elem_id="rag-lib-login") as login:
            token_box = gr.Textbox(label="管理口令（本页只需输入一次）", type="password", elem_id="rag-lib-token",
                                   scale=4)
            login_button = gr.Button("确认口令", elem_id="rag-lib-login-button", scale=1)
        notice = gr.HTML(elem_id="rag-lib-notice")
        with gr.Row():
            file = gr.File(label="上传文章（.txt / .md / .html，不超过 2 MB）", file_types=list(ARTICLE_SUFFIXES),
                           type="filepath", elem_id="rag-lib-file", scale=4)
            with gr.Column(scale=1):
                replace = gr.Checkbox(label="同名时替换", elem_id="rag-lib-replace")
                upload = gr.Button("上传并建立索引", variant="primary", elem_id="rag-lib-upload")
        progress, table = gr.HTML(elem_id="rag-lib-progress"), gr.HTML(elem_id="rag-lib-table")
        with gr.Row():
            target = gr.Dropdown(label="删除文章", choices=[], elem_id="rag-lib-target", scale=4)
            delete = gr.Button("删除…", variant="stop", elem_id="rag-lib-delete", scale=1)
        with gr.Row(visible=False, elem_id="rag-lib-confirm-row") as confirm_row:
            question = gr.HTML()
            confirm = gr.Button("确认删除", variant="stop", elem_id="rag-lib-confirm")
            cancel = gr.Button("取消", elem_id="rag-lib-cancel")
        timer = gr.Timer(POLL_SECONDS, active=False)

        tracked, listing = [job, timer, notice, progress], [table, target]
        login_button.click(act.log_in, inputs=token_box, outputs=[token, login, notice])
        token_box.submit(act.log_in, inputs=token_box, outputs=[token, login, notice])
        upload.click(lambda t, p, r: act.start(act.add, t, p, r), inputs=[token, file, replace], outputs=tracked)
        delete.click(_ask_to_confirm, inputs=target, outputs=[confirm_row, question])
        confirm.click(lambda t, d: act.start(act.remove, t, d), inputs=[token, target], outputs=tracked).then(
            lambda: gr.update(visible=False), outputs=confirm_row)
        cancel.click(lambda: gr.update(visible=False), outputs=confirm_row)
        timer.tick(act.poll, inputs=job, outputs=[timer, progress, notice, *listing, job])
        tab.select(act.refresh, outputs=listing)
        gr.on(None, act.refresh, outputs=listing)  # on page load
    return tab
