fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match journey_emulator::server::parse_args(&args) {
        Ok(Some(c)) => c,
        Ok(None) => {
            print!("{}", journey_emulator::server::HELP);
            return;
        }
        Err(e) => {
            eprintln!("journey-emulator: {e}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    if let Err(e) = rt.block_on(journey_emulator::server::run(cfg)) {
        eprintln!("journey-emulator: {e}");
        std::process::exit(1);
    }
}
