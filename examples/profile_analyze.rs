#[path = "../benches/common/mod.rs"]
mod common;
fn main() {
    let text = common::corpus(1 << 20, 7);
    let a = huashu::Analyzer::builder().build().unwrap();
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        n += a.analyze(&text).findings.len();
    }
    eprintln!("{:?} per MB, {} findings", t.elapsed() / 5, n / 5);
}
