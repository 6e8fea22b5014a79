#[path = "../benches/common/mod.rs"]
mod common;
fn main() {
    let jieba = jieba_rs::Jieba::new();
    let mut dev = String::new();
    for l in std::fs::read_to_string("/work/shared/eval/dev.jsonl")
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        dev.push_str(v["text"].as_str().unwrap());
        dev.push('\n');
    }
    let mut big = String::new();
    while big.len() < 1 << 20 {
        big.push_str(&dev);
    }
    let a = huashu::Analyzer::builder().build().unwrap();
    for (name, text) in [("corpus", common::corpus(1 << 20, 7)), ("devlike", big)] {
        let t = std::time::Instant::now();
        let n = jieba.cut(&text, true).len();
        let e = t.elapsed();
        let t2 = std::time::Instant::now();
        let r = a.analyze(&text);
        let e2 = t2.elapsed();
        eprintln!(
            "{name}: jieba {:?} ({} tokens, {:.1} MB/s), analyze {:?} ({} findings)",
            e,
            n,
            text.len() as f64 / 1e6 / e.as_secs_f64(),
            e2,
            r.findings.len()
        );
    }
}
