//! Case images and photos: resized at build time to a few widths, offered
//! with `srcset`, `width` and `height`, cached between builds; a corrupt
//! or huge image is an error naming the file.

use crate::common;
use crate::common::html::{Html, Selector};

use image::{ImageFormat, RgbImage, RgbaImage};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// A photo-like JPEG or PNG of this size, its pixels varied by `seed`.
fn picture(width: u32, height: u32, format: ImageFormat, seed: u8) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    if format == ImageFormat::Png {
        let img = RgbaImage::from_fn(width, height, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, seed, 255]));
        img.write_to(&mut bytes, format).unwrap();
    } else {
        let img = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 255 / width) as u8, (y % 256) as u8, seed]));
        img.write_to(&mut bytes, format).unwrap();
    }
    bytes.into_inner()
}

fn size_of(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The size of a WebP file, decoded whole (libwebp's decoder).
fn webp_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let image = webp::Decoder::new(&bytes).decode().unwrap_or_else(|| panic!("{}: not a WebP file", path.display()));
    (image.width(), image.height())
}

/// A site whose case (in nl and fr) shows `hero.jpg` and whose contact has a portrait photo.
fn site(hero: &[u8]) -> tempfile::TempDir {
    let nl = common::case("Bavel", "image: hero.jpg\nimage_alt: Het dorp\ncontact: eefje\n");
    let fr = common::case("Bavel FR", "image: hero.jpg\nimage_alt: Le village\ncontact: eefje\n");
    let dir = common::site(&[
        ("site.yaml", common::SITE_YAML),
        ("content/cases/bavel/index.nl.md", &nl),
        ("content/cases/bavel/index.fr.md", &fr),
        ("content/people/eefje.yaml", "name: Eefje Rolsma\nphoto: eefje.png\n"),
    ]);
    common::write(dir.path(), "content/cases/bavel/hero.jpg", hero);
    common::write(dir.path(), "content/people/eefje.png", &picture(300, 400, ImageFormat::Png, 1));
    dir
}

/// Builds `root` into `root/out` with its own cache folder; (exit code, stdout, stderr).
fn build(root: &Path, cache: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["build", "--output", "out"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("VITRINE_CACHE_DIR", cache)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn img_tag(html: &str, class: &str) -> String {
    let doc = crate::common::html::Html::parse_document(html);
    let sel = crate::common::html::Selector::parse(&format!("img.{class}")).unwrap();
    doc.select(&sel).next().unwrap_or_else(|| panic!("no img.{class}")).html()
}

fn modified(files: &[PathBuf]) -> Vec<SystemTime> {
    files.iter().map(|f| f.metadata().unwrap().modified().unwrap()).collect()
}

#[test]
fn images_are_resized_offered_at_every_width_and_cached() {
    let dir = site(&picture(2400, 1200, ImageFormat::Jpeg, 1));
    let cache = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = build(dir.path(), cache.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("(12 images resized)"), "{stdout}");

    let out = dir.path().join("out");
    for page in ["nl/cases/bavel", "fr/projets/bavel"] {
        for (w, h) in [(480, 240), (720, 360), (960, 480), (1920, 960)] {
            assert_eq!(size_of(&out.join(format!("{page}/hero-{w}w.jpg"))), (w, h), "{page} {w}");
            let webp = out.join(format!("{page}/hero-{w}w.webp"));
            assert_eq!(webp_size(&webp), (w, h), "{page} {w}");
            // lossy as the JPEG, and smaller
            assert!(
                webp.metadata().unwrap().len() < out.join(format!("{page}/hero-{w}w.jpg")).metadata().unwrap().len()
            );
        }
        assert_eq!(size_of(&out.join(format!("{page}/hero.jpg"))), (2400, 1200), "the original is copied too");
    }
    assert_eq!(size_of(&out.join("people/eefje-64w.png")), (64, 85));
    assert_eq!(size_of(&out.join("people/eefje-128w.png")), (128, 171));
    assert_eq!(webp_size(&out.join("people/eefje-64w.webp")), (64, 85));
    assert_eq!(webp_size(&out.join("people/eefje-128w.webp")), (128, 171));

    let html = std::fs::read_to_string(out.join("nl/cases/bavel/index.html")).unwrap();
    let hero = img_tag(&html, "hero-image");
    let srcset = "/nl/cases/bavel/hero-480w.jpg 480w, /nl/cases/bavel/hero-720w.jpg 720w, \
                  /nl/cases/bavel/hero-960w.jpg 960w, /nl/cases/bavel/hero-1920w.jpg 1920w";
    assert!(hero.contains(&format!("srcset=\"{srcset}\"")), "{hero}");
    assert!(hero.contains("src=\"/nl/cases/bavel/hero-1920w.jpg\""), "{hero}");
    assert!(hero.contains("width=\"1920\"") && hero.contains("height=\"960\"") && hero.contains("sizes=\""), "{hero}");
    assert!(hero.contains("alt=\"Het dorp\"") && !hero.contains("loading"), "the hero is not lazy: {hero}");
    assert!(hero.contains("fetchpriority=\"high\""), "the hero comes first: {hero}");
    // a browser that reads WebP takes the same widths in it, at the same sizes
    let doc = Html::parse_document(&html);
    let source =
        doc.select(&Selector::parse("picture > source[type='image/webp']").unwrap()).next().expect("a WebP source");
    let img =
        doc.select(&Selector::parse("picture > img.hero-image").unwrap()).next().expect("the hero in the picture");
    assert_eq!(source.attr("srcset"), Some(srcset.replace(".jpg", ".webp").as_str()));
    assert_eq!(source.attr("sizes"), img.attr("sizes"));
    let photo = img_tag(&html, "contact-photo");
    assert!(photo.contains("srcset=\"/people/eefje-64w.png 64w, /people/eefje-128w.png 128w\""), "{photo}");
    let home = std::fs::read_to_string(out.join("fr/index.html")).unwrap();
    let card = img_tag(&home, "card-image");
    // the first row of a list, what a reader sees first, loads at once
    assert!(card.contains("/fr/projets/bavel/hero-960w.jpg 960w") && !card.contains("loading"), "{card}");
    assert!(card.contains("alt=\"Le village\""), "{card}");

    // a second build takes every resized file from the cache
    // (but what each build made: `builds/`, rewritten by every build)
    let entries = || -> Vec<PathBuf> {
        let made = cache.path().join("builds");
        common::tree(cache.path()).into_iter().map(|(p, _)| p).filter(|p| !p.starts_with(&made)).collect()
    };
    let cached = entries();
    assert_eq!(cached.iter().filter(|p| p.starts_with(cache.path().join("images"))).count(), 12);
    let before = (modified(&cached), common::tree(&out));
    let (code, stdout, _) = build(dir.path(), cache.path());
    assert_eq!(code, 0);
    assert!(!stdout.contains("resized"), "{stdout}");
    assert_eq!((modified(&entries()), common::tree(&out)), before, "the cache or the output changed");

    // a new image is resized again, and only it
    common::write(dir.path(), "content/cases/bavel/hero.jpg", &picture(1000, 800, ImageFormat::Jpeg, 2));
    let (code, stdout, _) = build(dir.path(), cache.path());
    assert_eq!(code, 0);
    assert!(stdout.contains("(7 images resized)"), "{stdout}");
    let html = std::fs::read_to_string(out.join("nl/cases/bavel/index.html")).unwrap();
    let hero = img_tag(&html, "hero-image");
    assert!(
        hero.contains("hero-960w.jpg 960w, /nl/cases/bavel/hero.jpg 1000w\""),
        "the original is the widest: {hero}"
    );
    assert!(hero.contains("width=\"1000\"") && hero.contains("height=\"800\""), "{hero}");
    assert!(!out.join("nl/cases/bavel/hero-1920w.jpg").exists(), "a stale size stayed");
}

/// `jpeg` with an EXIF block whose orientation is `orientation` (6: the
/// camera was turned a quarter clockwise, as a phone held upright writes it).
fn with_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    // one entry: tag 0x0112 (Orientation), type SHORT, count 1, then no next IFD
    exif.extend([0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
    // after the JFIF header the encoder writes first, as a camera app does
    assert_eq!(jpeg[2..4], [0xFF, 0xE0]);
    let at = 4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]));
    let mut out = jpeg[..at].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    out.extend(exif);
    out.extend(&jpeg[at..]);
    out
}

#[test]
fn a_phone_photo_is_shown_upright() {
    // stored 1200×600, shown 600×1200 once turned as its EXIF says
    let dir = site(&with_orientation(&picture(1200, 600, ImageFormat::Jpeg, 3), 6));
    let cache = tempfile::tempdir().unwrap();
    let (code, _, stderr) = build(dir.path(), cache.path());
    assert_eq!(code, 0, "{stderr}");
    let page = dir.path().join("out/nl/cases/bavel");
    assert_eq!(size_of(&page.join("hero-480w.jpg")), (480, 960));
    assert_eq!(size_of(&page.join("hero-600w.jpg")), (600, 1200), "the full size, turned upright");
    let hero = img_tag(&std::fs::read_to_string(page.join("index.html")).unwrap(), "hero-image");
    assert!(hero.contains("width=\"600\"") && hero.contains("height=\"1200\""), "{hero}");
    assert!(hero.contains("src=\"/nl/cases/bavel/hero-600w.jpg\""), "the upright file is shown: {hero}");
}

/// Builds a site whose hero is `hero`, expecting failure; returns stderr.
fn refused(hero: &[u8]) -> String {
    let dir = site(&picture(800, 400, ImageFormat::Jpeg, 1));
    let cache = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), cache.path()).0, 0);
    let before = common::tree(&dir.path().join("out"));
    common::write(dir.path(), "content/cases/bavel/hero.jpg", hero);
    let (code, _, stderr) = build(dir.path(), cache.path());
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(common::tree(&dir.path().join("out")), before, "a failed build changed the output");
    stderr
}

#[test]
fn a_file_that_is_no_image_is_an_error_naming_it() {
    let err = refused(b"<html>not a photo</html>");
    assert!(
        err.contains(
            "content/cases/bavel/hero.jpg:1:1: error: this file is named .jpg but holds no image format vitrine knows"
        ),
        "{err}"
    );
    assert!(err.contains("= hint: give it the extension of what it holds, or export it again as JPEG or PNG"), "{err}");
    let png = picture(20, 20, ImageFormat::Png, 1);
    let err = refused(&png);
    assert!(err.contains("hero.jpg:1:1: error: this file is named .jpg but holds Png"), "{err}");
}

#[test]
fn a_damaged_image_is_an_error_naming_it() {
    let jpeg = picture(800, 400, ImageFormat::Jpeg, 3);
    let err = refused(&jpeg[..jpeg.len() / 3]);
    assert!(err.contains("content/cases/bavel/hero.jpg:1:1: error: this image is cut short"), "{err}");
    assert!(err.contains("= hint: open it in an image editor and export it again as JPEG or PNG"), "{err}");
    let png = picture(300, 300, ImageFormat::Png, 3);
    let mut err = refused(&png[..png.len() / 2]);
    err += &refused(&[&png[..60], &[0; 40], &png[100..]].concat());
    assert_eq!(err.matches("content/cases/bavel/hero.jpg:1:1: error: this").count(), 2, "{err}");
}

/// A PNG that says it is `width` × `height` pixels, without pixels.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    for (kind, data) in [(b"IHDR", &ihdr[..]), (b"IDAT", &[]), (b"IEND", &[])] {
        png.extend((data.len() as u32).to_be_bytes());
        let chunk = [&kind[..], data].concat();
        let mut crc = flate2::Crc::new();
        crc.update(&chunk);
        png.extend(chunk);
        png.extend(crc.sum().to_be_bytes());
    }
    png
}

#[test]
fn a_huge_image_is_refused_before_it_is_decoded() {
    let dir = site(&picture(800, 400, ImageFormat::Jpeg, 1));
    common::write(dir.path(), "content/people/eefje.png", &png_header(40_000, 30_000));
    // with another mistake in the same run: both are reported
    let nl = common::case("Bavel", "image: hero.jpg\ncontact: eefje\ntagz: [dorp]\n");
    common::write(dir.path(), "content/cases/bavel/index.nl.md", nl.as_bytes());
    let cache = tempfile::tempdir().unwrap();
    let (code, _, err) = build(dir.path(), cache.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("content/people/eefje.png:1:1: error: this image is 40000 × 30000 pixels (1200 megapixels); vitrine resizes images of at most 50 megapixels"),
        "{err}"
    );
    assert!(err.contains("= hint: export it at about 3000 pixels wide"), "{err}");
    assert!(err.contains("content/cases/bavel/index.nl.md:7:1: error: unknown key `tagz`"), "{err}");
}

#[test]
fn an_unused_broken_image_is_only_a_warning() {
    let dir = site(&picture(800, 400, ImageFormat::Jpeg, 1));
    common::write(dir.path(), "content/cases/bavel/old.png", b"not a png");
    common::write(dir.path(), "content/cases/bavel/older.png", b"not a png either");
    // linked from the text, it is published as it is; else it is not published at all
    common::link_files(dir.path(), "content/cases/bavel/index.nl.md", &["old.png"]);
    let cache = tempfile::tempdir().unwrap();
    let (code, _, err) = build(dir.path(), cache.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("content/cases/bavel/old.png:1:1: warning: this file is named .png but holds no image format vitrine knows; it is copied as it is"), "{err}");
    assert!(dir.path().join("out/nl/cases/bavel/old.png").is_file());
    assert!(err.contains("content/cases/bavel:1:1: warning: this file is neither linked nor shown by a page of the case, so not published: older.png"), "{err}");
    assert!(!err.contains("older.png:1:1"), "{err}");
    assert!(!dir.path().join("out/nl/cases/bavel/older.png").exists());
}
