fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = &args[1];
    match maa::load::load_path(std::path::Path::new(path), path) {
        Ok(l) => println!("ok {}", l.topology.name),
        Err(d) => print!("{}", maa::report::human::render(&d, maa::report::human::HumanStyle::plain())),
    }
}
