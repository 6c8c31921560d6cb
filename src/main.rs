//! Browser entry point: mounts the Yew app. Natively it only says what it is.

#[cfg(target_arch = "wasm32")]
fn main() {
    lantern::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("Lantern runs in the browser: see README.md (build with trunk).");
}
