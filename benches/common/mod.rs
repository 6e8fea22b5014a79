//! A generated transcript-like corpus for the benches: honest and fraudulent livestream speech
//! mixed, with speech-recognition style spacing, numbers and some evasion spellings. Written
//! for the benches; deterministic for a given seed.

#![allow(dead_code)]

const HONEST: &[&str] = &[
    "大家好 欢迎来到直播间 今天给大家做一道家常菜",
    "排骨先冷水下锅焯水 加两片姜 一点料酒去腥",
    "这款毛衣是羊毛混纺的 洗的时候用冷水手洗 不要机洗",
    "有朋友问尺码 一百六十公分一百斤左右的穿中号就可以",
    "我们家的苹果是自己果园种的 今年雨水少 个头小一点但是很甜",
    "发货走顺丰 坏果拍照片联系客服 按个数给大家补",
    "这个锅是不粘涂层的 别用铁铲 用木铲或者硅胶铲",
    "今天直播间的价格是七十九 跟店铺日常价一样 没有什么套路",
    "有宝宝问孕妇能不能用 成分表在详情页 可以拿给医生看看",
    "这个台灯有三档亮度 晚上看书用暖光 对眼睛舒服一点",
    "买回去觉得不合适 七天无理由退货 运费险我们出",
    "茶叶要放在干燥阴凉的地方 密封好 别和有味道的东西放一起",
    "面团揉到能拉出薄膜 盖上保鲜膜 放在温暖的地方发酵",
    "这双鞋是真皮的 第一次穿可能有点硬 穿几天就软了",
    "我们是官方旗舰店 每一件都有防伪码 扫一下就能查",
    "有人问什么时候发货 今天下单的明天上午就发",
    "这个价格不算便宜 但是用料实在 大家量力而行",
    "保温杯是三百一十六不锈钢的 装热水能保温十二个小时",
    "好了 今天的直播就到这里 谢谢大家 我们明天见",
    "草莓不耐放 收到以后放冰箱 吃之前用淡盐水泡一下",
];

const FRAUD: &[&str] = &[
    "家人们这个镯子是缅甸老坑的料子 矿主直供 外面根本拿不到",
    "专柜卖三万八 今天直播间只要一千九百八 最后三单了",
    "你买回去戴两年 不想要了拿回来 我们原价回收 只高不低",
    "这个东西越放越值钱 十年以后翻几倍都正常 稳赚不赔",
    "平台上不方便说 想要的加我薇❤信 私xia转zhang再便宜两百",
    "我们这个是ｇｆ版本 １：１复刻 原厂皮 拿去专柜都验不出来",
    "这个精油能kang癌 降💉血压 中科院研发的配方 央视都报道过",
    "老板不知道我今天偷偷上的 工厂倒闭了清仓 亏本卖给大家",
    "想要的把你的身份证号和手机号打在公屏上 我们一个一个登记",
    "这款茶叶能降三高 糖尿病人喝了三个月药都停了 包治百病",
    "原价四千九百九十九 今天只要五百九十九 手慢无 马上下架",
    "国家级大师亲手做的 拍卖行上一件能拍到几十万 收藏级的",
    "保本保收益 零风险 每年收益百分之十五 比存银行强多了",
    "全网最低价 史上最好的一批货 错过再等一年",
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
}

/// About `bytes` of transcript-like text: mostly honest speech, roughly one fraud sentence in
/// five, separated by spaces or Chinese punctuation.
pub fn corpus(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 256);
    while out.len() < bytes {
        let s = if rng.below(5) == 0 {
            FRAUD[rng.below(FRAUD.len())]
        } else {
            HONEST[rng.below(HONEST.len())]
        };
        out.push_str(s);
        out.push_str(["，", "。", " ", " ", "\n"][rng.below(5)]);
    }
    out
}

/// One transcript-like document of `bytes` (for per-document benches).
pub fn document(bytes: usize, seed: u64) -> String {
    corpus(bytes, seed)
}
