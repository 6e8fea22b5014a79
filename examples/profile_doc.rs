#[path = "../benches/common/mod.rs"]
mod common;
fn main() {
    let doc = common::document(8 << 10, 11);
    let a = huashu::Analyzer::builder().build().unwrap();
    for _ in 0..50 {
        a.analyze(&doc);
    }
    let t = std::time::Instant::now();
    for _ in 0..500 {
        std::hint::black_box(a.analyze(&doc));
    }
    eprintln!("{:?} per 8KB doc", t.elapsed() / 500);
}
