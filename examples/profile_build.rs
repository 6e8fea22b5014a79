fn main() {
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let _a = huashu::Analyzer::builder().build().unwrap();
        eprintln!("total {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let _j = jieba_rs::Jieba::new();
        eprintln!("jieba_new {:?}\n", t.elapsed());
    }
}
