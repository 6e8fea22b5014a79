//! A generated transcript-like corpus for the benches: honest and fraudulent livestream speech
//! mixed (about one fraudulent sentence in six), from templates whose slots are filled with
//! products, places, names, viewer handles and numbers (Arabic and Chinese), with
//! speech-recognition style spacing and fillers, so that neither huashu nor jieba sees the same
//! few sentences again and again. Written for the benches; deterministic for a given seed.

#![allow(dead_code)]

const PRODUCTS: &[&str] = &[
    "羊毛大衣",
    "保温杯",
    "不粘锅",
    "空气炸锅",
    "洗发水",
    "面霜",
    "运动鞋",
    "蓝牙耳机",
    "小米",
    "红枣",
    "核桃",
    "蜂蜜",
    "普洱茶",
    "大米",
    "牛肉干",
    "螺蛳粉",
    "手机壳",
    "台灯",
    "行李箱",
    "羽绒服",
    "翡翠手镯",
    "和田玉",
    "南红手串",
    "蜜蜡",
    "沉香",
    "紫砂壶",
    "银条",
    "金手链",
    "碧玺",
    "黄花梨",
    "石斛",
    "人参",
    "阿胶",
    "酵素",
    "鱼油",
    "钙片",
    "护膝",
    "艾灸贴",
    "茶具",
    "床单",
];
const PLACES: &[&str] = &[
    "云南",
    "新疆",
    "广西",
    "福建安溪",
    "浙江义乌",
    "山东寿光",
    "东北",
    "四川",
    "广东四会",
    "江西",
    "内蒙古",
    "贵州",
    "湖南",
    "河北",
    "缅甸",
    "苏州",
    "杭州",
    "成都",
    "西双版纳",
    "长白山",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "胡",
];
const HANDLES: &[&str] = &[
    "小鱼儿",
    "momo",
    "阿杰",
    "橙子",
    "lucky",
    "糖糖",
    "大圣",
    "安安",
    "kiki",
    "老张",
];
const FILLERS: &[&str] = &[
    "那个",
    "就是说",
    "对吧",
    "然后呢",
    "家人们",
    "宝子们",
    "老铁们",
    "你们看",
    "好吧",
    "来",
];
const DIGITS: &[&str] = &["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

const HONEST: &[&str] = &[
    "欢迎{h}进入直播间 今天给大家讲讲这款{p}",
    "这款{p}是{c}那边的工厂做的 我们去年就开始合作了",
    "{p}收到以后先检查一下包装 有破损拍照片联系客服",
    "有朋友问{p}怎么保存 放在阴凉干燥的地方就可以",
    "今天直播间的价格是{n}块 跟店铺日常价一样",
    "{s}姐问尺码 一百六十公分一百斤左右的穿中号就行",
    "这个{p}我自己用了{n}个月 说实话 效果因人而异",
    "发货走顺丰 {c}那边两天能到 偏远地区慢一点",
    "有宝宝问孕妇能不能用{p} 成分表在详情页 可以拿给医生看看",
    "七天无理由退货 运费险我们出 不合适就退",
    "我们是官方旗舰店 每一件{p}都有防伪码 扫一下就能查",
    "这个价格不算便宜 但是用料实在 大家量力而行",
    "{h}说上次买的{p}很好用 谢谢支持",
    "排骨先冷水下锅焯水 加两片姜 一点料酒去腥 然后小火炖{n}分钟",
    "好了 今天的直播就到这里 谢谢大家 我们明天晚上八点见",
    "这一批{p}是今年的新货 {c}那边刚收的 数量不多 卖完要等下个月",
    "直播间有{n}个人在看 新来的朋友点个关注",
    "{p}的颜色有三种 黑色白色和灰色 灰色的比较耐脏",
];

const FRAUD: &[&str] = &[
    "家人们这个{p}是{c}老坑的料子 矿主直供 外面根本拿不到",
    "专柜卖{big} 今天直播间只要{n}{n}九 最后三单了",
    "你买回去戴两年 不想要了拿回来 我们原价回收 只高不低",
    "这个{p}越放越值钱 十年以后翻几倍都正常 稳赚不赔",
    "平台上不方便说 想要的加我薇❤信 私xia转zhang再便宜两百",
    "我们这个是ｇｆ版本 １：１复刻 原厂皮 拿去专柜都验不出来",
    "这个{p}能kang癌 降💉血压 中科院研发的配方 央视都报道过",
    "老板不知道我今天偷偷上的 工厂倒闭了清仓 亏本卖给大家",
    "想要的把你的身份证号和手机号打在公屏上 我们一个一个登记",
    "这款{p}能降三高 糖尿病人吃了三个月药都停了 包治百病",
    "原价{big} 今天只要{n}百九十九 手慢无 马上下架",
    "国家级大师亲手做的{p} 拍卖行上一件能拍到几十万 收藏级的",
    "保本保收益 零风险 每年收益百分之十五 比存银行强多了",
    "全网最低价 史上最好的一批{p} 错过再等一年",
];

/// A tiny deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn fill(template: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = rest[i..].find('}').map_or(rest.len(), |j| i + j);
        match &rest[i + 1..j] {
            "p" => out.push_str(rng.pick(PRODUCTS)),
            "c" => out.push_str(rng.pick(PLACES)),
            "s" => out.push_str(rng.pick(SURNAMES)),
            "h" => {
                out.push_str(rng.pick(HANDLES));
                out.push_str(&rng.below(1000).to_string());
            }
            "n" => {
                if rng.below(2) == 0 {
                    out.push_str(&(1 + rng.below(98)).to_string());
                } else {
                    out.push_str(rng.pick(&DIGITS[1..]));
                    out.push('十');
                    out.push_str(rng.pick(&DIGITS[1..]));
                }
            }
            "big" => {
                out.push_str(rng.pick(&DIGITS[2..]));
                out.push('千');
                out.push_str(rng.pick(&DIGITS[1..]));
                out.push('百');
            }
            other => out.push_str(other),
        }
        rest = &rest[(j + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// About `bytes` of transcript-like text: mostly honest speech, roughly one fraudulent sentence
/// in six, separated by spaces, line breaks or Chinese punctuation, with spoken fillers.
pub fn corpus(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 256);
    while out.len() < bytes {
        if rng.below(4) == 0 {
            out.push_str(rng.pick(FILLERS));
            out.push(' ');
        }
        let template = if rng.below(6) == 0 {
            rng.pick(FRAUD)
        } else {
            rng.pick(HONEST)
        };
        out.push_str(&fill(template, &mut rng));
        out.push_str(["，", "。", " ", " ", "\n"][rng.below(5)]);
    }
    out
}

/// One transcript-like document of `bytes` (for per-document benches).
pub fn document(bytes: usize, seed: u64) -> String {
    corpus(bytes, seed)
}

/// Streamer chit-chat with nothing for sale: greetings, thanks for gifts, banter.
const CHITCHAT: &[&str] = &[
    "欢迎{h}进入直播间，新来的宝宝点点关注",
    "谢谢{h}送的小心心，谢谢{h}的棒棒糖",
    "今天{c}下雨了，你们那边冷不冷，出门记得带伞",
    "刚才有人问我吃饭没有，吃了，中午吃的面条",
    "我们家猫又在后面捣乱了，你们看它在桌子上睡觉",
    "{s}姐说声音有点小，我调一下麦克风，现在好点没有",
    "这首歌是我最近很喜欢的，你们听过没有",
    "昨天下播以后我去逛了一下夜市，买了烤红薯",
    "点赞到{n}万我们就抽奖，抽一个小礼物",
    "有宝宝问我多高，一米六五，穿的是M码",
    "你们晚上都几点睡，我一般两点才睡",
    "刚才网卡了一下，现在好了，大家能看到吗",
    "{s}哥好久没来了，最近忙什么呢",
    "这个{p}我自己用了半年了，说实话还行，看个人喜好",
    "快递一般四十八小时内发，偏远地区慢一点",
];

/// About `bytes` of sparse text, like real streamer speech: chit-chat and product talk, with
/// evidence in about one sentence in fifty.
pub fn sparse(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 256);
    while out.len() < bytes {
        if rng.below(5) == 0 {
            out.push_str(rng.pick(FILLERS));
        }
        let template = match rng.below(50) {
            0 => rng.pick(FRAUD),
            1..=20 => rng.pick(HONEST),
            _ => rng.pick(CHITCHAT),
        };
        out.push_str(&fill(template, &mut rng));
        out.push_str(["，", "。", " ", "！", "\n"][rng.below(5)]);
    }
    out
}

/// Every case text of `tests/data/*.toml`, in file order: varied wording written for the tests.
pub fn case_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable case file");
        let value: toml::Table = toml::from_str(&text).expect("case files parse");
        for case in value
            .get("case")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(t) = case.get("text").and_then(|t| t.as_str()) {
                out.push(t.to_string());
            }
        }
    }
    assert!(!out.is_empty(), "no case texts");
    out
}
