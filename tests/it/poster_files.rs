//! The poster's two files as their readers take them: the screen poster as
//! a screen reader and a PDF/UA checker read it (structure, marked content,
//! metadata, links), the print file as a print shop's preflight reads it
//! (boxes, bleed, marks, CMYK, PDF/X-4), both read back with lopdf and
//! poppler.

use crate::common;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

const NL: &str = "nl/cases/veiliger-thuis-midden-brabant/veiliger-thuis-midden-brabant";
const FR: &str = "fr/projets/foyer-plus-sur-brabant-central/foyer-plus-sur-brabant-central";
/// Millimetres in points.
const MM: f32 = 72.0 / 25.4;

/// A poppler tool, run on a file. CI (`.ci/run`) installs poppler and sets
/// `VITRINE_NEED_POPPLER`; elsewhere a machine without it skips these checks
/// with a note.
fn poppler(tool: &str, args: &[&str]) -> Option<Vec<u8>> {
    match Command::new(tool).args(args).output() {
        Ok(out) => {
            assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            Some(out.stdout)
        }
        Err(e) => {
            assert!(std::env::var_os("VITRINE_NEED_POPPLER").is_none(), "{tool}: {e} (apt-get install poppler-utils)");
            eprintln!("note: {tool} not found ({e}): its checks are skipped; apt-get install poppler-utils");
            None
        }
    }
}

fn dict<'a>(doc: &'a Document, obj: &'a Object) -> &'a Dictionary {
    doc.dereference(obj).unwrap().1.as_dict().unwrap()
}

fn name(d: &Dictionary, key: &[u8]) -> String {
    String::from_utf8(d.get(key).unwrap().as_name().unwrap().to_vec()).unwrap()
}

fn page_of(doc: &Document) -> (ObjectId, &Dictionary) {
    let id = *doc.get_pages().values().next().unwrap();
    (id, doc.get_dictionary(id).unwrap())
}

fn numbers(o: &Object) -> Vec<f32> {
    o.as_array().unwrap().iter().map(|v| v.as_float().unwrap()).collect()
}

/// The XMP packet of the catalog, as text.
fn xmp(doc: &Document) -> String {
    let meta = doc.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
    let stream = doc.get_object(meta).unwrap().as_stream().unwrap();
    assert!(!stream.dict.has(b"Filter"), "the XMP stays readable to any tool");
    String::from_utf8(stream.content.clone()).unwrap()
}

/// The example site built by the binary, as an editor runs it: `vitrine
/// build` in the site folder, with default flags.
fn built(site_yaml_extra: &str) -> (tempfile::TempDir, String) {
    let dir = common::example_copy();
    if !site_yaml_extra.is_empty() {
        let path = dir.path().join("site.yaml");
        let yaml = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{yaml}\n{site_yaml_extra}\n")).unwrap();
    }
    let out = common::vitrine(&["build"], dir.path());
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{said}");
    (dir, said)
}

fn load(dir: &Path, rel: &str) -> Document {
    Document::load(dir.join("output").join(rel)).unwrap()
}

/// The names of the fonts and font descriptors of a document, which ISO
/// 32000 (9.6.4) wants tagged for a subset: six capitals and a plus
/// (`ABCDEF+Inter-Bold`).
fn font_names(doc: &Document) -> Vec<String> {
    // (a font may hold another inline: a Type0 font its CIDFont)
    fn walk(obj: &Object, names: &mut Vec<String>) {
        match obj {
            Object::Dictionary(d) => {
                match d.get(b"Type").and_then(Object::as_name) {
                    Ok(b"Font") => names.push(name(d, b"BaseFont")),
                    Ok(b"FontDescriptor") => names.push(name(d, b"FontName")),
                    _ => {}
                }
                d.iter().for_each(|(_, o)| walk(o, names));
            }
            Object::Array(items) => items.iter().for_each(|o| walk(o, names)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    doc.objects.values().for_each(|o| walk(o, &mut names));
    names.sort();
    names
}

#[test]
fn the_screen_poster_is_tagged_for_screen_readers() {
    let (dir, _) = built("");
    for (rel, lang, title) in
        [(NL, "nl", "Een ‘Veiliger Thuis’ in Midden-Brabant"), (FR, "fr", "Un foyer plus sûr dans le Brabant central")]
    {
        let doc = load(dir.path(), &format!("{rel}-a3.pdf"));
        assert!(doc.version.as_str() <= "1.7", "{rel}: PDF {}", doc.version);
        let fonts = font_names(&doc);
        assert!(fonts.len() >= 6, "{rel}: fonts and their descriptors: {fonts:?}");
        for font in &fonts {
            let (tag, rest) = font.split_once('+').unwrap_or_else(|| panic!("{rel}: {font} has no subset tag"));
            assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) && !rest.is_empty(), "{font}");
        }
        let catalog = doc.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), lang.as_bytes());
        assert!(dict(&doc, catalog.get(b"MarkInfo").unwrap()).get(b"Marked").unwrap().as_bool().unwrap());
        let prefs = dict(&doc, catalog.get(b"ViewerPreferences").unwrap());
        assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap(), "{rel}: the title, not the file name");
        let xmp = xmp(&doc);
        // the claims in the namespaces PDF/UA validators read them in
        assert_eq!(xmp_text(&xmp, PDFUAID, "part").as_deref(), Some("1"), "{xmp}");
        let dc_title = roxmltree::Document::parse(&xmp).unwrap();
        let title_li = dc_title
            .descendants()
            .find(|n| n.has_tag_name((DC, "title")))
            .and_then(|t| t.descendants().find(|n| n.has_tag_name((RDF, "li"))))
            .expect("dc:title");
        assert_eq!(title_li.attribute((XML, "lang")), Some("x-default"), "{xmp}");
        assert_eq!(title_li.text(), Some(title), "{xmp}");
        // the XMP says what the information dictionary says (PDF/UA-1 and
        // PDF/A validators compare them): the producer, and the dates
        let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
        let info_text = |key: &[u8]| text_string(info.get(key).unwrap().as_str().unwrap());
        assert_eq!(xmp_text(&xmp, PDF, "Producer"), Some(info_text(b"Producer")), "{xmp}");
        assert!(info_text(b"Producer").starts_with("vitrine "), "{xmp}");
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).take(14).collect::<String>();
        let created = digits(&info_text(b"CreationDate"));
        assert_eq!(created.len(), 14, "{}", info_text(b"CreationDate"));
        for key in ["CreateDate", "ModifyDate", "MetadataDate"] {
            let date = xmp_text(&xmp, XMP, key).unwrap_or_else(|| panic!("no xmp:{key}: {xmp}"));
            assert_eq!(digits(&date), created, "xmp:{key} {date}");
        }

        let (page_id, page) = page_of(&doc);
        assert_eq!(page.get(b"StructParents").unwrap().as_i64().unwrap(), 0);
        assert_eq!(name(page, b"Tabs"), "S", "{rel}: tab order follows the structure");

        // the structure: every element of a standard type, its parent the
        // element that lists it
        let tree = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
        let standard = ["Document", "Sect", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "BlockQuote", "Link"];
        let mut roles = Vec::new();
        let mut owned_mcids = BTreeMap::new();
        let mut links = Vec::new();
        let mut todo = vec![(tree.get(b"K").unwrap().as_reference().unwrap(), None)];
        while let Some((id, parent)) = todo.pop() {
            let elem = doc.get_dictionary(id).unwrap();
            assert_eq!(name(elem, b"Type"), "StructElem");
            let role = name(elem, b"S");
            assert!(standard.contains(&role.as_str()), "{rel}: {role} is not a standard structure type");
            if let Some(p) = parent {
                assert_eq!(elem.get(b"P").unwrap().as_reference().unwrap(), p, "{rel}: {role}'s parent");
            }
            roles.push(role.clone());
            let kids = elem.get(b"K").unwrap().as_array().unwrap();
            for kid in kids.iter().rev() {
                match kid {
                    Object::Reference(k) => todo.push((*k, Some(id))),
                    Object::Integer(mcid) => {
                        assert!(owned_mcids.insert(*mcid, id).is_none(), "{rel}: MCID {mcid} owned twice");
                    }
                    Object::Dictionary(objr) => {
                        assert_eq!(role, "Link", "{rel}: an object reference outside a Link");
                        assert_eq!(name(objr, b"Type"), "OBJR");
                        links.push((objr.get(b"Obj").unwrap().as_reference().unwrap(), id));
                    }
                    other => panic!("{rel}: kid {other:?}"),
                }
            }
        }
        assert_eq!(roles[0], "Document");
        assert_eq!(roles.iter().filter(|r| *r == "H1").count(), 1, "{rel}: {roles:?}");
        let h2 = roles.iter().filter(|r| *r == "H2").count();
        assert_eq!(h2, 3, "{rel}: a heading for lines, facts and contact: {roles:?}");
        let first = |r: &str| roles.iter().position(|x| x == r).unwrap();
        assert!(first("H1") < first("H2"), "{rel}: heading levels in order: {roles:?}");
        for r in ["L", "LI", "Lbl", "LBody", "BlockQuote", "Link"] {
            assert!(roles.iter().any(|x| x == r), "{rel}: no {r} in {roles:?}");
        }

        // the parent tree leads from every MCID of the page back to the
        // element that owns it, and from every link annotation to its Link
        let nums = dict(&doc, tree.get(b"ParentTree").unwrap()).get(b"Nums").unwrap().as_array().unwrap();
        let entries: BTreeMap<i64, &Object> =
            nums.chunks(2).map(|kv| (kv[0].as_i64().unwrap(), doc.dereference(&kv[1]).unwrap().1)).collect();
        let of_page: Vec<ObjectId> =
            entries[&0].as_array().unwrap().iter().map(|o| o.as_reference().unwrap()).collect();
        assert_eq!(of_page.len(), owned_mcids.len(), "{rel}");
        for (mcid, owner) in &owned_mcids {
            assert_eq!(of_page[*mcid as usize], *owner, "{rel}: MCID {mcid}");
        }
        let annots = page.get(b"Annots").unwrap().as_array().unwrap();
        assert_eq!(annots.len(), 2, "{rel}: the e-mail and the case URL");
        assert_eq!(links.len(), 2, "{rel}: each link annotation owned by a Link element");
        for a in annots {
            let id = a.as_reference().unwrap();
            let annot = doc.get_dictionary(id).unwrap();
            assert!(annot.get(b"Contents").unwrap().as_str().is_ok(), "{rel}: a link says where it goes");
            let key = annot.get(b"StructParent").unwrap().as_i64().unwrap();
            let elem = links.iter().find(|(annot, _)| *annot == id).unwrap().1;
            assert_eq!(entries[&key].as_dict().unwrap(), doc.get_dictionary(elem).unwrap(), "{rel}");
        }
        // each link lies over the address it shows, where poppler finds it
        let path = dir.path().join("output").join(format!("{rel}-a3.pdf"));
        if let Some(words) = poppler("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]) {
            let words = String::from_utf8(words).unwrap();
            let height = numbers(page.get(b"MediaBox").unwrap())[3];
            for a in annots {
                let annot = doc.get_dictionary(a.as_reference().unwrap()).unwrap();
                let shown = text_string(annot.get(b"Contents").unwrap().as_str().unwrap());
                let r = numbers(annot.get(b"Rect").unwrap());
                let word = words
                    .lines()
                    .find(|l| l.trim_end().ends_with(&format!(">{shown}</word>")))
                    .unwrap_or_else(|| panic!("{rel}: no word {shown} on the poster"));
                let at = |key: &str| -> f32 {
                    let v = word.split(&format!("{key}=\"")).nth(1).unwrap();
                    v[..v.find('"').unwrap()].parse().unwrap()
                };
                // (poppler counts from the top, the annotation from the bottom)
                let (x, y) = ((at("xMin") + at("xMax")) / 2.0, height - (at("yMin") + at("yMax")) / 2.0);
                assert!(
                    r[0] < x && x < r[2] && r[1] < y && y < r[3],
                    "{rel}: link {r:?} not over {shown} at ({x}, {y})"
                );
                let (w, h) = (at("xMax") - at("xMin"), at("yMax") - at("yMin"));
                assert!(r[2] - r[0] < 2.0 * w && r[3] - r[1] < 2.0 * h, "{rel}: link {r:?} far larger than {shown}");
            }
        }
        let next = dict(&doc, catalog.get(b"StructTreeRoot").unwrap()).get(b"ParentTreeNextKey").unwrap();
        assert_eq!(next.as_i64().unwrap(), 3);

        // the content: nothing drawn outside a marked sequence, every
        // sequence an artifact or content with an MCID of the parent tree
        let content = Content::decode(&doc.get_page_content(page_id)).unwrap();
        // text is kerned as the font says: adjustments between glyphs
        // (`TJ`), none of them a zero that moves nothing
        let kerns: Vec<i64> = (content.operations.iter().filter(|op| op.operator == "TJ"))
            .flat_map(|op| op.operands[0].as_array().unwrap().iter().filter_map(|o| o.as_i64().ok()))
            .collect();
        assert!(!kerns.is_empty() && !kerns.contains(&0), "{rel}: kerning {kerns:?}");
        let (mut depth, mut seen, mut drawn) = (0, HashSet::new(), 0);
        for op in &content.operations {
            match op.operator.as_str() {
                "BDC" => {
                    depth += 1;
                    let tag = op.operands[0].as_name().unwrap();
                    let props = op.operands[1].as_dict().unwrap();
                    let mcid = props.get(b"MCID").unwrap().as_i64().unwrap();
                    assert!(seen.insert(mcid), "{rel}: MCID {mcid} twice");
                    let owner = doc.get_dictionary(owned_mcids[&mcid]).unwrap();
                    assert_eq!(tag, name(owner, b"S").as_bytes(), "{rel}: MCID {mcid}'s tag is its element's type");
                }
                "BMC" => {
                    depth += 1;
                    assert_eq!(op.operands[0].as_name().unwrap(), b"Artifact");
                }
                "EMC" => depth -= 1,
                "TJ" | "Tj" | "f" | "S" | "re" => {
                    drawn += 1;
                    assert_eq!(depth, 1, "{rel}: `{}` outside a marked sequence", op.operator);
                }
                _ => {}
            }
        }
        assert_eq!(depth, 0);
        assert!(drawn > 50);
        assert_eq!(seen.len(), owned_mcids.len(), "{rel}: every owned MCID is on the page");

        // every font embedded with a ToUnicode map
        let mut fonts = 0;
        for obj in doc.objects.values() {
            if let Ok(d) = obj.as_dict()
                && d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font")
                && d.has(b"DescendantFonts")
            {
                fonts += 1;
                assert!(d.has(b"ToUnicode"), "{rel}: a font without ToUnicode");
            }
        }
        assert!(fonts >= 2, "{rel}");
    }
}

#[test]
fn a_screen_reader_reads_the_poster_in_order_with_its_words_apart() {
    let (dir, _) = built("");
    for (rel, order) in [
        (
            NL,
            [
                "H1",
                "Een ‘Veiliger Thuis’ in Midden-Brabant",
                "vooral als expert. Maar",
                "Heldere verwachtingen over en weer",
                "In gesprek over het vergezicht",
                "200.000",
                "3.000+",
                "BlockQuote",
                "Connect doet wat het belooft.",
                "Moniek",
                "moniek@example.org",
            ],
        ),
        (
            FR,
            [
                "H1",
                "Un foyer plus sûr dans le Brabant central",
                "comme un expert. Mais",
                "Des attentes mutuelles claires",
                "Parler du panorama",
                // digit groups tied by a narrow no-break space, as on the page
                "200\u{202F}000",
                "3\u{202F}000+",
                "BlockQuote",
                "Connect fait ce qu’il promet.",
                "Moniek",
                "moniek@example.org",
            ],
        ),
    ] {
        let path = dir.path().join("output").join(format!("{rel}-a3.pdf"));
        let Some(out) = poppler("pdfinfo", &["-struct-text", path.to_str().unwrap()]) else { return };
        let text = String::from_utf8(out).unwrap();
        let mut at = 0;
        for want in order {
            let found = text[at..].find(want).unwrap_or_else(|| panic!("{rel}: `{want}` after {at} in\n{text}"));
            at += found + want.len();
        }
        // nothing glued at a line's end or a change of style
        for glued in ["alsexpert", "vancoach", "inMidden", "commeun"] {
            assert!(!text.contains(glued), "{rel}: `{glued}` in\n{text}");
        }
    }
}

#[test]
fn the_print_file_has_bleed_crop_marks_cmyk_and_a_pdf_x_4_intent() {
    let (dir, said) = built("poster:\n  print: true");
    assert!(said.contains("2 posters (2 files for print)"), "{said}");
    // the default theme gives no CMYK values: one warning names the colours converted
    assert_eq!(said.matches("convert primary, accent, band, text, muted, light from RGB to CMYK").count(), 1, "{said}");
    let page = std::fs::read_to_string(dir.path().join("output").join(NL).parent().unwrap().join("index.html"));
    assert!(!page.unwrap().contains("-a3-print.pdf"), "the page links the screen poster only");

    let doc = load(dir.path(), &format!("{NL}-a3-print.pdf"));
    assert_eq!(doc.version, "1.6");
    let (page_id, page) = page_of(&doc);
    let trim = numbers(page.get(b"TrimBox").unwrap());
    let bleed = numbers(page.get(b"BleedBox").unwrap());
    let media = numbers(page.get(b"MediaBox").unwrap());
    let close = |a: f32, b: f32| (a - b).abs() < 0.05;
    assert!(close(trim[2] - trim[0], 297.0 * MM) && close(trim[3] - trim[1], 420.0 * MM), "A3 trim: {trim:?}");
    for i in 0..4 {
        let out = if i < 2 { trim[i] - bleed[i] } else { bleed[i] - trim[i] };
        assert!(close(out, 3.0 * MM), "3 mm bleed: {bleed:?} around {trim:?}");
    }
    // the sheet: the trim with 12 mm all round for the bleed and the marks
    for i in 0..4 {
        let out = if i < 2 { trim[i] - media[i] } else { media[i] - trim[i] };
        assert!(close(out, 12.0 * MM), "12 mm around the trim: {media:?} around {trim:?}");
    }

    let catalog = doc.catalog().unwrap();
    let intent = doc.dereference(&catalog.get(b"OutputIntents").unwrap().as_array().unwrap()[0]).unwrap().1;
    let intent = intent.as_dict().unwrap();
    assert_eq!(name(intent, b"S"), "GTS_PDFX");
    assert_eq!(intent.get(b"OutputConditionIdentifier").unwrap().as_str().unwrap(), b"FOGRA39");
    // the key ISO 32000 names (14.11.5), not the one printpdf writes
    let profile = intent.get(b"DestOutputProfile").expect("/DestOutputProfile").as_reference().unwrap();
    assert!(intent.get(b"DestinationOutputProfile").is_err(), "a key no reader knows");
    let profile = doc.get_object(profile).unwrap().as_stream().unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4, "a CMYK profile");
    assert!(profile.decompressed_content().unwrap().len() > 100_000, "the profile is embedded");
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    assert_eq!(info.get(b"GTS_PDFXVersion").unwrap().as_str().unwrap(), b"PDF/X-4");
    assert_eq!(name(info, b"Trapped"), "False");
    let xmp = xmp(&doc);
    assert_eq!(xmp_text(&xmp, PDFXID, "GTS_PDFXVersion").as_deref(), Some("PDF/X-4"), "{xmp}");
    assert_eq!(xmp_text(&xmp, PDF, "Trapped").as_deref(), Some("False"), "{xmp}");
    assert!(xmp_text(&xmp, XMPMM, "DocumentID").is_some_and(|id| id.starts_with("uuid:")), "{xmp}");
    let annots = page.get(b"Annots").map_or(0, |a| a.as_array().map_or(1, Vec::len));
    assert_eq!(annots, 0, "no links on a sheet to print");

    // no RGB anywhere: colours in CMYK, the marks in the registration colour
    let content = Content::decode(&doc.get_page_content(page_id)).unwrap();
    let ops: Vec<&str> = content.operations.iter().map(|o| o.operator.as_str()).collect();
    for rgb in ["rg", "RG", "g", "G", "sc", "scn"] {
        assert!(!ops.contains(&rgb), "`{rgb}` in the print file");
    }
    assert!(ops.iter().filter(|o| **o == "k").count() > 20);
    assert!(!String::from_utf8_lossy(&doc.get_page_content(page_id)).contains("DeviceRGB"));
    let resources = dict(&doc, page.get(b"Resources").unwrap());
    let all = dict(&doc, resources.get(b"ColorSpace").unwrap()).get(b"All").unwrap().as_array().unwrap();
    assert_eq!(all[0].as_name().unwrap(), b"Separation");
    assert_eq!(all[1].as_name().unwrap(), b"All");
    assert!(ops.windows(2).any(|w| w == ["CS", "SCN"]));
    // every text at least 5 mm inside the trim
    let mut shift = (0.0, 0.0);
    for op in &content.operations {
        match op.operator.as_str() {
            "cm" => shift = (op.operands[4].as_float().unwrap(), op.operands[5].as_float().unwrap()),
            "Tm" => {
                let (x, y) =
                    (op.operands[4].as_float().unwrap() + shift.0, op.operands[5].as_float().unwrap() + shift.1);
                assert!(x >= trim[0] + 5.0 * MM && x <= trim[2] - 5.0 * MM, "text at x {x} near the trim {trim:?}");
                assert!(y >= trim[1] + 5.0 * MM && y <= trim[3] - 5.0 * MM, "text at y {y} near the trim {trim:?}");
            }
            _ => {}
        }
    }

    // rendered: the header band runs into the bleed, the marks stand in the
    // corners outside it, the rest of the slug is paper
    let path = dir.path().join("output").join(format!("{NL}-a3-print.pdf"));
    let png = dir.path().join("print");
    let Some(_) = poppler("pdftoppm", &["-r", "72", "-gray", "-png", path.to_str().unwrap(), png.to_str().unwrap()])
    else {
        return;
    };
    let img = image::open(dir.path().join("print-1.png")).unwrap().to_luma8();
    let (w, h) = (img.width() as f32 - 1.0, img.height() as f32 - 1.0);
    let px = |x_pt: f32, y_top_pt: f32| {
        img.get_pixel(x_pt.round().clamp(0.0, w) as u32, y_top_pt.round().clamp(0.0, h) as u32).0[0]
    };
    let (t, b) = (12.0 * MM, 3.0 * MM);
    assert!(px(t - b / 2.0, t + 60.0) < 100, "the header band is dark in the left bleed");
    assert!(px(t + 297.0 * MM + b / 2.0, t + 60.0) < 100, "and in the right bleed");
    assert!(px(t + 200.0, t - b / 2.0) < 100, "and in the top bleed");
    assert!(px(t - b / 2.0, t + 700.0) > 240, "no band there: paper in the bleed");
    assert!(px(t - 8.0 * MM, t + 500.0) > 240, "paper between the marks");
    // at each corner, marks run from 5 to 11 mm out, in line with the trim
    // (a line a quarter of a point wide lands on one of the pixels beside)
    let dark = |x: f32, y: f32| (-1..=1).any(|d| px(x + d as f32, y) < 128 || px(x, y + d as f32) < 128);
    for (cx, out_x) in [(t, -1.0), (t + 297.0 * MM, 1.0)] {
        for (cy, out_y) in [(t, -1.0), (t + 420.0 * MM, 1.0)] {
            assert!(dark(cx, cy + out_y * 8.0 * MM), "a mark in line with the corner at ({cx}, {cy}), vertical");
            assert!(dark(cx + out_x * 8.0 * MM, cy), "a mark in line with the corner at ({cx}, {cy}), horizontal");
            assert!(px(cx + out_x * 8.0 * MM, cy + out_y * 8.0 * MM) > 240, "nothing diagonal from ({cx}, {cy})");
            // they start 5 mm out: paper between them and the 3 mm of bleed
            assert!(!dark(cx, cy + out_y * 4.0 * MM), "the vertical mark at ({cx}, {cy}) keeps off the bleed");
            assert!(!dark(cx + out_x * 4.0 * MM, cy), "the horizontal mark at ({cx}, {cy}) keeps off the bleed");
            // and end 11 mm out, short of the sheet's edge
            assert!(!dark(cx, cy + out_y * 11.6 * MM), "the vertical mark at ({cx}, {cy}) ends at 11 mm");
            assert!(!dark(cx + out_x * 11.6 * MM, cy), "the horizontal mark at ({cx}, {cy}) ends at 11 mm");
        }
    }
    assert!(px(t - 4.0 * MM, t - 4.0 * MM) > 240, "nothing diagonal from the corner");
}

#[test]
fn the_print_colours_are_the_brand_s_own_when_poster_yaml_gives_them() {
    let dir = common::example_copy();
    let poster_yaml = |cmyk: &str| {
        let mut yaml = String::from(
            "fonts:\n  regular: fonts/LiberationSans-Regular.ttf\n  bold: fonts/LiberationSans-Bold.ttf\n  \
             italic: fonts/LiberationSans-Italic.ttf\ncolors:\n",
        );
        for (color, rgb) in [
            ("primary", "#16315f"),
            ("accent", "#e8643a"),
            ("band", "#f5f1ea"),
            ("text", "#1b2433"),
            ("muted", "#4a5568"),
            ("light", "#c9d6ee"),
        ] {
            yaml.push_str(&format!("  {color}: {{ rgb: \"{rgb}\", cmyk: {cmyk} }}\n"));
        }
        std::fs::write(dir.path().join("themes/default/poster.yaml"), yaml).unwrap();
    };
    poster_yaml("[100, 72, 0, 38]");
    let case = "content/cases/veiliger-thuis-midden-brabant/index.nl.md";
    let out = common::vitrine(&["poster", "--print", case], dir.path());
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{said}");
    assert!(said.contains("wrote veiliger-thuis-midden-brabant-a3-print.pdf"), "{said}");
    assert!(!said.contains("warning"), "every colour has its CMYK value: {said}");
    let doc = Document::load(dir.path().join("veiliger-thuis-midden-brabant-a3-print.pdf")).unwrap();
    let content = Content::decode(&doc.get_page_content(page_of(&doc).0)).unwrap();
    let inks: HashSet<Vec<String>> = content
        .operations
        .iter()
        .filter(|o| o.operator == "k")
        .map(|o| o.operands.iter().map(|v| format!("{:.2}", v.as_float().unwrap())).collect())
        .collect();
    let brand: Vec<String> = ["1.00", "0.72", "0.00", "0.38"].map(String::from).to_vec();
    let white: Vec<String> = ["0.00"; 4].map(String::from).to_vec();
    assert_eq!(inks, HashSet::from([brand, white]), "the theme's inks, and paper white");

    // a value out of range is an error at its place in poster.yaml
    poster_yaml("[100, 72, 0, 138]");
    let out = common::vitrine(&["poster", "--print", case], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("poster.yaml:8:") && err.contains("each ink is a percentage from 0 to 100"), "{err}");
}

// the XMP namespaces, as the XMP specification and ISO 14289 / 15930 name them
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const XML: &str = "http://www.w3.org/XML/1998/namespace";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const XMP: &str = "http://ns.adobe.com/xap/1.0/";
const PDF: &str = "http://ns.adobe.com/pdf/1.3/";
const PDFUAID: &str = "http://www.aiim.org/pdfua/ns/id/";
const PDFXID: &str = "http://www.npes.org/pdfx/ns/id/";
const XMPMM: &str = "http://ns.adobe.com/xap/1.0/mm/";

/// The text of the XMP property `local` in namespace `ns`, as an element
/// or as an attribute of an `rdf:Description`, parsed as XML.
/// A PDF text string (ISO 32000 7.9.2.2): UTF-16BE after its byte order
/// mark, else PDFDocEncoding (ASCII here).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).unwrap()
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

fn xmp_text(xmp: &str, ns: &str, local: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xmp).unwrap_or_else(|e| panic!("the XMP is not XML: {e}\n{xmp}"));
    doc.descendants().find_map(|n| {
        if n.has_tag_name((ns, local)) {
            n.text().map(str::to_string)
        } else {
            n.attribute((ns, local)).map(str::to_string)
        }
    })
}
