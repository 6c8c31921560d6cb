//! The Web Worker binary: parsing and statistics run here, off the page's main thread.

#[cfg(target_arch = "wasm32")]
fn main() {
    lantern::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("The Lantern worker runs in the browser.");
}
