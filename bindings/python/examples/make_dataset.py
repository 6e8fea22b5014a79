"""Write a synthetic dataset of livestream transcripts, for trying and measuring the Spark job.

    python bindings/python/examples/make_dataset.py 3000 rooms.jsonl
    python bindings/python/examples/make_dataset.py 3000 rooms.parquet   # needs pyarrow

Each record is ``{"id", "room", "start_time", "text"}``: host chatter filled in from templates,
with about one sentence in six taken from a fraud script (buyback promises, invented original
prices, fake scarcity, off-platform payment, cure claims, counterfeit slang) and a few
warnings and negations that must not count. The texts are made up here from slot-filled
templates; they are not real streams and not any evaluation data. The same seed gives the same
dataset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from typing import Dict, Iterator, List

PRODUCTS = ["翡翠手镯", "和田玉吊坠", "蜜蜡手串", "普洱茶饼", "紫砂壶", "珍珠项链", "保健酒", "羊毛大衣",
            "运动鞋", "真丝围巾", "沉香木珠", "黄金耳钉", "人参礼盒", "面霜套装"]
HOSTS = ["小美", "阿强", "琳琳", "大刘", "甜甜", "老周"]
PLACES = ["云南", "新疆", "缅甸", "景德镇", "宜兴", "东北", "杭州"]
ILLS = ["高血压", "糖尿病", "失眠", "关节痛", "三高"]
BRANDS = ["大牌", "国际品牌", "某奢侈品牌"]

CHATTER = [
    "家人们晚上好，欢迎来到{host}的直播间",
    "新进来的宝宝点个关注，不迷路",
    "今天给大家看的是这款{product}",
    "大家看一下这个光泽，灯光下面特别漂亮",
    "喜欢的可以在评论区扣个一",
    "我们家是老店了，做了很多年",
    "{product}收到之后有任何问题都可以联系客服",
    "这个颜色很百搭，上班也可以戴",
    "主播今天嗓子有点哑，大家多担待",
    "来，我给大家近距离展示一下细节",
    "支持七天无理由退换，放心拍",
    "链接已经上好了，在小黄车{n}号",
    "有没有{place}的宝宝，扣个地名",
    "这款的尺寸是{size}厘米，大家自己量一下",
    "谢谢{host2}送的小心心",
    "今天人气很好，感谢大家",
    "天冷了大家注意保暖",
    "我们正规发票都有，可以开",
]

FRAUD = [
    "这个{product}以后不想要了拿回来，我们原价回收",
    "买回去放着只会升值，随时可以找我们回购，只高不低",
    "专柜价{high}元，今天直播间只要{low}元",
    "外面卖{high}的，我这里{low}就给你",
    "最后{k}单了，手慢无，马上下架",
    "只有今天这个价，明天恢复原价",
    "想要的加我薇信，私下转账再便宜两百",
    "不走平台，直接加我vx拍，省手续费",
    "这个{product}能治{ill}，吃了就好",
    "坚持用一个月，{ill}根治，无副作用",
    "这是{brand}同一个代工厂出来的，原单货",
    "高仿的，跟正品一模一样，1比1复刻",
    "这是{place}老坑的料子，祖传下来的",
    "拍卖行估价几十万的东西，今天捡漏",
    "老板不知道我偷偷上的这个价，赶紧拍",
]

HARMLESS_WARNINGS = [
    "千万别信什么高价回收，那都是骗局",
    "我们不会让大家加微信私下交易，认准平台",
    "有人说原价回收的，大家不要相信",
    "正品都有鉴定证书，不卖高仿",
]


def _fill(template: str, rng: random.Random) -> str:
    low = rng.choice([99, 129, 199, 288, 399, 599])
    return template.format(
        host=rng.choice(HOSTS),
        host2=rng.choice(HOSTS),
        product=rng.choice(PRODUCTS),
        place=rng.choice(PLACES),
        ill=rng.choice(ILLS),
        brand=rng.choice(BRANDS),
        n=rng.randint(1, 40),
        k=rng.randint(2, 9),
        size=rng.randint(50, 62),
        low=low,
        high=low * rng.choice([10, 20, 30]) - 1,
    )


def transcripts(count: int, seed: int = 12) -> Iterator[Dict[str, str]]:
    """``count`` records with ids ``t000000``, ``t000001``, …; rooms ``room-0`` … ``room-39``."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 11, 1, 20, 0, tzinfo=dt.timezone.utc)
    for i in range(count):
        fraudulent = rng.random() < 0.5
        sentences: List[str] = []
        for _ in range(rng.randint(8, 60)):
            r = rng.random()
            if fraudulent and r < 0.17:
                sentences.append(_fill(rng.choice(FRAUD), rng))
            elif r > 0.97:
                sentences.append(_fill(rng.choice(HARMLESS_WARNINGS), rng))
            else:
                sentences.append(_fill(rng.choice(CHATTER), rng))
        punct = rng.choice(["，", "。", " ", "！", "\n"])
        text = punct.join(sentences) + rng.choice(["。", "", "～"])
        yield {
            "id": f"t{i:06d}",
            "room": f"room-{rng.randrange(40)}",
            "start_time": (start + dt.timedelta(minutes=7 * i)).isoformat(),
            "text": text,
        }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("count", type=int, help="how many transcripts")
    p.add_argument("output", help="a .jsonl or .parquet file")
    p.add_argument("--seed", type=int, default=12)
    args = p.parse_args()
    rows = list(transcripts(args.count, args.seed))
    if args.output.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(rows)
        table = table.set_column(
            table.schema.get_field_index("start_time"),
            "start_time",
            pa.array([dt.datetime.fromisoformat(r["start_time"]) for r in rows], pa.timestamp("us", tz="UTC")),
        )
        pq.write_table(table, args.output)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    size = sum(len(r["text"].encode()) for r in rows)
    print(f"wrote {len(rows)} transcripts ({size / 1e6:.1f} MB of text) to {args.output}")


if __name__ == "__main__":
    main()
