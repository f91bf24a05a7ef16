//! The thin PDF layer: printpdf makes the document (its information, page
//! and fonts), the placed items become the page's operators, and lopdf sets
//! the language and writes it.
//!
//! The fonts are the same in almost every poster, so printpdf turns them
//! into PDF objects once ([`FontObjects`]) and each poster gets a copy of
//! those objects: a poster's own work is its page and its metadata.

use super::fonts::{EmbedSet, Faces, Style};
use super::layout::{Cmyk, Item, Node, PAGE_H, PAGE_W, Placed, Rect, Rgb};
use crate::cache::hash::Fnv;
use lopdf::{Object, ObjectId};
use printpdf::{FontId, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem};
use std::hash::Hasher;

/// The document information of a poster.
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a [String],
    /// BCP 47 language tag, written as the catalog's `/Lang`.
    pub lang: &'a str,
    /// Creation date in seconds since 1970: `SOURCE_DATE_EPOCH`, else the
    /// case's date (not the time of the build, which keeps the bytes
    /// reproducible).
    pub epoch: i64,
}

/// Deflate level of a poster's page. Level 1 takes half the time of level 6
/// for a page 9 % larger.
pub const FLATE_LEVEL: u32 = 1;

/// The fonts' resource names in the page (not names printpdf reads as its
/// built-in fonts `F1`…`F14`).
const RESOURCE: [&str; 3] = ["FR", "FB", "FI"];

/// Deflate state kept from one stream to the next: setting one up clears a
/// few hundred kilobytes, more work than packing a poster's page. A pool,
/// so that each thread takes one of its own.
pub struct Deflaters {
    level: u32,
    pool: std::sync::Mutex<Vec<flate2::Compress>>,
}

impl Deflaters {
    /// Deflaters at a level from 1 (fast) to 9 (small).
    pub fn new(level: u32) -> Deflaters {
        Deflaters { level, pool: std::sync::Mutex::default() }
    }

    fn deflate(&self, bytes: &[u8]) -> Result<Vec<u8>, String> {
        use flate2::{Compress, Compression, FlushCompress, Status};
        let taken = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut z = taken.unwrap_or_else(|| Compress::new(Compression::new(self.level), true));
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let done = usize::try_from(z.total_in()).unwrap_or(bytes.len()).min(bytes.len());
            match z.compress_vec(&bytes[done..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(e) => return Err(format!("deflating a stream: {e}")),
            }
        }
        z.reset();
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(z);
        Ok(out)
    }
}

/// The three fonts of a set of posters as PDF objects, numbered from 1:
/// per style, its objects and the number of its font dictionary.
pub struct FontObjects {
    styles: [(Vec<(u32, Object)>, u32); 3],
    /// The highest object number used.
    last: u32,
    /// The fonts the objects are made of, for the glyph ids of the text.
    pub embed: EmbedSet,
}

impl FontObjects {
    /// Has printpdf write the fonts (program, widths, ToUnicode map,
    /// descriptor) once, each with every character of the subset, and packs
    /// their streams at `level`.
    pub fn new(embed: EmbedSet, faces: &Faces, level: u32) -> Result<FontObjects, String> {
        let mut doc = PdfDocument::new("fonts");
        let mut ops = vec![Op::StartTextSection];
        for style in Style::ALL {
            let id = FontId(RESOURCE[style as usize].to_string());
            let font = printpdf::PdfFont::new(embed.fonts[style as usize].parsed.clone());
            doc.resources.fonts.map.insert(id.clone(), font);
            let all = faces.one_per_glyph(style, embed.chars.iter().copied());
            ops.push(Op::SetFont { font: PdfFontHandle::External(id), size: Pt(10.0) });
            ops.push(Op::ShowText { items: vec![TextItem::Text(all)] });
        }
        ops.push(Op::EndTextSection);
        doc.with_pages(vec![PdfPage::new(Mm(297.0), Mm(420.0), ops)]);
        let opts = PdfSaveOptions { subset_fonts: false, ..Default::default() };
        let mut lo = doc.to_lopdf_document(&opts, &mut Vec::new());
        let dict = font_dict(&mut lo)?.clone();
        let deflaters = Deflaters::new(level);
        let mut styles: [(Vec<(u32, Object)>, u32); 3] = Default::default();
        for style in Style::ALL {
            let root = dict.get(RESOURCE[style as usize].as_bytes()).and_then(Object::as_reference);
            let root = root.map_err(|e| format!("font {}: {e}", RESOURCE[style as usize]))?;
            let font = &embed.fonts[style as usize];
            let mut objects = Vec::new();
            for id in reachable(&lo, root) {
                let mut obj = lo.get_object(id).map_err(|e| e.to_string())?.clone();
                match &mut obj {
                    // the font program and its ToUnicode map
                    Object::Stream(s) => {
                        let packed = deflaters.deflate(&s.content)?;
                        s.dict.set("Filter", "FlateDecode");
                        s.set_content(packed);
                    }
                    other => tag_names(other, font),
                }
                objects.push((id.0, obj));
            }
            styles[style as usize] = (objects, root.0);
        }
        let last = styles.iter().flat_map(|(o, _)| o.iter().map(|(id, _)| *id)).max().unwrap_or(0);
        Ok(FontObjects { styles, last, embed })
    }

    /// A hash of the fonts, for cache keys.
    pub fn fingerprint(&self) -> u64 {
        self.embed.fingerprint
    }

    /// Copies the fonts of the `used` styles into a poster made without
    /// them, and names them in its page's resources.
    fn add_to(&self, lo: &mut lopdf::Document, used: [bool; 3]) -> Result<(), String> {
        lo.renumber_objects_with(self.last + 1);
        let mut names = lopdf::Dictionary::new();
        for (style, (objects, root)) in self.styles.iter().enumerate() {
            if !used[style] {
                continue;
            }
            for (id, obj) in objects {
                lo.objects.insert((*id, 0), obj.clone());
            }
            names.set(RESOURCE[style], Object::Reference((*root, 0)));
        }
        *font_dict(lo)? = names;
        Ok(())
    }
}

/// The resources of the (only) page.
fn resources(lo: &mut lopdf::Document) -> Result<&mut lopdf::Dictionary, String> {
    let page = lo.page_iter().next().ok_or("the PDF has no page")?;
    let resources = lo.get_dictionary(page).and_then(|p| p.get(b"Resources")).and_then(Object::as_reference);
    let resources = resources.map_err(|e| format!("page resources: {e}"))?;
    lo.get_dictionary_mut(resources).map_err(|e| format!("page resources: {e}"))
}

/// The font dictionary of the (only) page's resources.
fn font_dict(lo: &mut lopdf::Document) -> Result<&mut lopdf::Dictionary, String> {
    let fonts = resources(lo)?.get(b"Font").and_then(Object::as_reference);
    let fonts = fonts.map_err(|e| format!("page fonts: {e}"))?;
    lo.get_dictionary_mut(fonts).map_err(|e| format!("page fonts: {e}"))
}

/// The objects `root` refers to, directly or not, itself included.
fn reachable(lo: &lopdf::Document, root: ObjectId) -> Vec<ObjectId> {
    fn refs(obj: &Object, out: &mut Vec<ObjectId>) {
        match obj {
            Object::Reference(id) => out.push(*id),
            Object::Array(a) => a.iter().for_each(|o| refs(o, out)),
            Object::Dictionary(d) => d.iter().for_each(|(_, o)| refs(o, out)),
            Object::Stream(s) => s.dict.iter().for_each(|(_, o)| refs(o, out)),
            _ => {}
        }
    }
    let (mut seen, mut todo) = (Vec::new(), vec![root]);
    while let Some(id) = todo.pop() {
        if !seen.contains(&id)
            && let Ok(obj) = lo.get_object(id)
        {
            seen.push(id);
            refs(obj, &mut todo);
        }
    }
    seen.sort_unstable();
    seen
}

/// The fonts are subsets: say so in their names (`ABCDEF+Name`), in the
/// font dictionaries and descriptor alike.
fn tag_names(obj: &mut Object, font: &super::fonts::Embedded) {
    match obj {
        Object::Dictionary(dict) => {
            for key in [&b"BaseFont"[..], b"FontName"] {
                if let Ok(name) = dict.get(key).and_then(|n| n.as_name())
                    && !name.contains(&b'+')
                    && font.parsed_name().is_some_and(|n| name.ends_with(n.as_bytes()))
                {
                    let tagged = [font.tag.as_bytes(), b"+", name].concat();
                    dict.set(key, Object::Name(tagged));
                }
            }
            dict.iter_mut().for_each(|(_, o)| tag_names(o, font));
        }
        Object::Array(items) => items.iter_mut().for_each(|o| tag_names(o, font)),
        _ => {}
    }
}

/// What a poster file is for.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    /// The poster the page links: RGB, tagged for screen readers
    /// (PDF/UA-1), with its addresses as links.
    Screen,
    /// The file for the print shop: CMYK, A3 trim with bleed and crop
    /// marks, PDF/X-4.
    Print(&'a Print),
}

/// Millimetres in points.
const MM: f32 = 72.0 / 25.4;
/// How far the colour fields that touch the page's edge run past the trim.
pub const BLEED: f32 = 3.0 * MM;
/// The room around the trim of a print file: bleed, then crop marks.
pub const SLUG: f32 = 12.0 * MM;
/// The crop marks run from this far outside the trim (beyond the bleed)…
const MARK_FROM: f32 = 5.0 * MM;
/// …to this far.
const MARK_TO: f32 = 11.0 * MM;
/// Width of the crop marks.
pub const MARK_WIDTH: f32 = 0.25;

/// What every print file of a build shares: the CMYK values of the theme's
/// colours and the PDF/X output intent with its colour profile (Coated
/// FOGRA39, as printpdf's PDF/X-4 conformance brings it), packed once.
pub struct Print {
    /// The theme's colours and their CMYK values (given or converted).
    palette: Vec<(Rgb, Cmyk)>,
    intent: lopdf::Dictionary,
    profile: lopdf::Stream,
}

impl Print {
    /// The print setup for a palette; other colours (white) are converted
    /// with [`Rgb::to_cmyk`].
    pub fn new(palette: Vec<(Rgb, Cmyk)>) -> Result<Print, String> {
        let mut doc = PdfDocument::new("intent");
        doc.metadata.info.conformance = printpdf::PdfConformance::X4_2010_PDF_1_4;
        doc.with_pages(vec![PdfPage::new(Mm(10.0), Mm(10.0), Vec::new())]);
        let lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut Vec::new());
        let catalog = lo.catalog().map_err(|e| format!("PDF catalog: {e}"))?;
        let intents = catalog.get(b"OutputIntents").and_then(Object::as_array);
        let mut intent = intents
            .ok()
            .and_then(|a| a.first())
            .and_then(|o| o.as_dict().ok())
            .cloned()
            .ok_or("printpdf made no PDF/X output intent")?;
        let profile = intent.get(b"DestinationOutputProfile").and_then(Object::as_reference);
        let mut profile = match profile.map(|id| lo.get_object(id)) {
            Ok(Ok(Object::Stream(s))) => s.clone(),
            _ => return Err("printpdf's output intent has no colour profile".into()),
        };
        let packed = Deflaters::new(9).deflate(&profile.content)?;
        profile.dict.set("Filter", "FlateDecode");
        profile.set_content(packed);
        // the licence of the profile is printpdf's business, not every poster's
        intent.remove(b"License");
        // printpdf names the profile's key `DestinationOutputProfile`;
        // ISO 32000 (14.11.5, table 365) and prepress tools read `DestOutputProfile`
        intent.remove(b"DestinationOutputProfile");
        Ok(Print { palette, intent, profile })
    }

    fn cmyk(&self, c: Rgb) -> Cmyk {
        self.palette.iter().find(|(rgb, _)| *rgb == c).map_or_else(|| c.to_cmyk(), |&(_, cmyk)| cmyk)
    }
}

/// A colour field of the print file, run into the bleed on every side
/// where it touches the edge of the page.
fn bled(r: Rect) -> Rect {
    let edge = |v: f32, limit: f32| (v - limit).abs() < 0.01;
    let (left, top) = (edge(r.x, 0.0), edge(r.y, 0.0));
    let (right, bottom) = (edge(r.x + r.w, PAGE_W), edge(r.y + r.h, PAGE_H));
    let grow = |a: bool, b: bool| BLEED * (f32::from(u8::from(a)) + f32::from(u8::from(b)));
    Rect {
        x: if left { r.x - BLEED } else { r.x },
        y: if top { r.y - BLEED } else { r.y },
        w: r.w + grow(left, right),
        h: r.h + grow(top, bottom),
    }
}

/// The marked-content sequence the page's operators are in.
#[derive(PartialEq)]
enum Marked {
    None,
    Artifact,
    /// Content of the structure element with this index.
    Node(usize),
}

/// The page's operators, and for each marked-content id of a tagged page
/// the structure element it is content of. printpdf's own encoder writes
/// every glyph as a hex string of its own, one formatted byte at a time,
/// which was most of a poster's time; here each run of text is one string,
/// encoded by lopdf.
fn page(
    placed: &Placed,
    fonts: &FontObjects,
    faces: &Faces,
    target: Target,
    used: &mut [bool; 3],
) -> Result<(Vec<u8>, Vec<usize>), String> {
    use lopdf::content::{Content, Operation};
    let fill = |c: Rgb, stroke: bool| match target {
        Target::Screen => Operation::new(if stroke { "RG" } else { "rg" }, [c.0, c.1, c.2].map(Object::Real).to_vec()),
        Target::Print(print) => {
            let Cmyk(c, m, y, k) = print.cmyk(c);
            Operation::new(if stroke { "K" } else { "k" }, [c, m, y, k].map(Object::Real).to_vec())
        }
    };
    let tagged = matches!(target, Target::Screen);
    let mut ops = Vec::with_capacity(placed.items.len() * 8 + 64);
    let mut mcids = Vec::with_capacity(placed.nodes.len() * 2);
    let mut marked = Marked::None;
    // every item in a marked sequence: text in the one of its structure
    // element, colour fields and decoration in an artifact
    let mut mark = |ops: &mut Vec<Operation>, next: Marked| {
        if !tagged || marked == next {
            return;
        }
        if marked != Marked::None {
            ops.push(Operation::new("EMC", Vec::new()));
        }
        match next {
            Marked::Node(n) => {
                let props = lopdf::dictionary! { "MCID" => mcids.len() as i64 };
                let role = Object::Name(placed.nodes[n].role.name().into());
                ops.push(Operation::new("BDC", vec![role, Object::Dictionary(props)]));
                mcids.push(n);
            }
            Marked::Artifact => ops.push(Operation::new("BMC", vec![Object::Name(b"Artifact".to_vec())])),
            Marked::None => {}
        }
        marked = next;
    };
    if let Target::Print(_) = target {
        let to_trim = [1.0, 0.0, 0.0, 1.0, SLUG, SLUG].map(Object::Real).to_vec();
        ops.extend([Operation::new("q", Vec::new()), Operation::new("cm", to_trim)]);
    }
    for item in &placed.items {
        match item {
            Item::Fill { rect, color } => {
                mark(&mut ops, Marked::Artifact);
                let r = if let Target::Print(_) = target { bled(*rect) } else { *rect };
                let (x, y, w, h) = (r.x, PAGE_H - r.y - r.h, r.w, r.h);
                ops.push(fill(*color, false));
                ops.push(Operation::new("re", vec![x.into(), y.into(), w.into(), h.into()]));
                ops.push(Operation::new("f", Vec::new()));
            }
            Item::Text { x, baseline, size, style, color, text, node, .. } => {
                mark(&mut ops, node.map_or(Marked::Artifact, Marked::Node));
                let s = *style as usize;
                used[s] = true;
                let runs = faces.glyph_runs(*style, text, &fonts.embed.fonts[s]);
                let mut array = Vec::with_capacity(runs.len() * 2);
                for (glyphs, kern) in runs {
                    array.push(Object::String(glyphs, lopdf::StringFormat::Literal));
                    if kern != 0 {
                        array.push(Object::Integer(kern.into()));
                    }
                }
                let at = vec![1.into(), 0.into(), 0.into(), 1.into(), (*x).into(), (PAGE_H - baseline).into()];
                ops.extend([
                    Operation::new("BT", Vec::new()),
                    Operation::new("Tf", vec![Object::Name(RESOURCE[s].into()), (*size).into()]),
                    fill(*color, false),
                    Operation::new("Tm", at),
                    Operation::new("TJ", vec![Object::Array(array)]),
                    Operation::new("ET", Vec::new()),
                ]);
            }
        }
    }
    mark(&mut ops, Marked::None);
    if let Target::Print(_) = target {
        ops.push(Operation::new("Q", Vec::new()));
        // crop marks in the registration colour (every ink), outside the bleed
        ops.push(Operation::new("CS", vec![Object::Name(b"All".to_vec())]));
        ops.push(Operation::new("SCN", vec![Object::Real(1.0)]));
        ops.push(Operation::new("w", vec![Object::Real(MARK_WIDTH)]));
        for (x, out_x) in [(SLUG, -1.0), (SLUG + PAGE_W, 1.0)] {
            for (y, out_y) in [(SLUG, -1.0), (SLUG + PAGE_H, 1.0)] {
                let line = |(x0, y0): (f32, f32), (x1, y1): (f32, f32)| {
                    [Operation::new("m", vec![x0.into(), y0.into()]), Operation::new("l", vec![x1.into(), y1.into()])]
                };
                ops.extend(line((x + out_x * MARK_FROM, y), (x + out_x * MARK_TO, y)));
                ops.extend(line((x, y + out_y * MARK_FROM), (x, y + out_y * MARK_TO)));
            }
        }
        ops.push(Operation::new("S", Vec::new()));
    }
    let bytes = Content { operations: ops }.encode().map_err(|e| format!("the page: {e}"))?;
    Ok((bytes, mcids))
}

/// Makes the printed addresses clickable: a `/Link` annotation over each,
/// opening its URI, with the address as its `/Contents` for readers that
/// announce links, and its key in the structure's parent tree (1, 2, …:
/// the page's content is 0). Returns the annotations.
fn add_links(
    lo: &mut lopdf::Document,
    page_id: ObjectId,
    links: &[(super::layout::Rect, String)],
) -> Result<Vec<ObjectId>, String> {
    use lopdf::dictionary;
    let mut annots = Vec::with_capacity(links.len());
    for (i, (r, uri)) in links.iter().enumerate() {
        let rect = [r.x, PAGE_H - r.y - r.h, r.x + r.w, PAGE_H - r.y].map(Object::Real).to_vec();
        let shown = uri.strip_prefix("mailto:").unwrap_or(uri);
        annots.push(lo.add_object(dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => rect,
            "Border" => vec![0.into(), 0.into(), 0.into()],
            "F" => 4,
            "Contents" => Object::string_literal(shown),
            "StructParent" => i as i64 + 1,
            "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal(uri.as_str()) },
        }));
    }
    if !annots.is_empty() {
        let page = lo.get_object_mut(page_id).and_then(|o| o.as_dict_mut()).map_err(|e| format!("the page: {e}"))?;
        page.set("Annots", annots.iter().map(|&id| Object::Reference(id)).collect::<Vec<_>>());
    }
    Ok(annots)
}

/// The logical structure of a tagged page: a structure element per node
/// (its kids: the elements inside it, then its marked content, then for a
/// link its annotation), the parent tree that leads from each marked-content
/// id and annotation back to its element. Returns the structure tree root.
fn add_structure(
    lo: &mut lopdf::Document,
    page_id: ObjectId,
    nodes: &[Node],
    mcids: &[usize],
    annots: &[ObjectId],
) -> ObjectId {
    use lopdf::dictionary;
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = nodes.iter().map(|_| lo.new_object_id()).collect();
    let mut kids: Vec<Vec<Object>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if let Some(p) = n.parent {
            kids[p].push(Object::Reference(ids[i]));
        }
    }
    for (mcid, &n) in mcids.iter().enumerate() {
        kids[n].push(Object::Integer(mcid as i64));
    }
    let mut nums = vec![0.into(), Object::Array(mcids.iter().map(|&n| Object::Reference(ids[n])).collect())];
    for (i, n) in nodes.iter().enumerate() {
        if let Some(annot) = n.link.and_then(|l| annots.get(l)) {
            kids[i].push(Object::Dictionary(dictionary! { "Type" => "OBJR", "Obj" => *annot, "Pg" => page_id }));
            nums.extend([Object::Integer(n.link.unwrap_or(0) as i64 + 1), Object::Reference(ids[i])]);
        }
    }
    for ((n, id), k) in nodes.iter().zip(&ids).zip(kids) {
        let parent = n.parent.map_or(root, |p| ids[p]);
        let elem = dictionary! {
            "Type" => "StructElem",
            "S" => n.role.name(),
            "P" => parent,
            "Pg" => page_id,
            "K" => k,
        };
        lo.objects.insert(*id, Object::Dictionary(elem));
    }
    let next_key = 1 + annots.len() as i64;
    let tree = dictionary! {
        "Type" => "StructTreeRoot",
        "K" => ids.first().map_or(Object::Null, |&d| Object::Reference(d)),
        "ParentTree" => dictionary! { "Nums" => nums },
        "ParentTreeNextKey" => next_key,
    };
    lo.objects.insert(root, Object::Dictionary(tree));
    root
}

/// `2020-03-01T00:00:00Z`.
fn xmp_date(epoch: i64) -> String {
    let secs = epoch.rem_euclid(86_400);
    let day = crate::model::date::Date::from_days(epoch.div_euclid(86_400));
    format!("{day}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Text for XML.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The XMP metadata: what the information dictionary says, and what the
/// file claims to be (PDF/UA-1, or PDF/X-4 for print).
fn xmp(meta: &Meta, target: Target, id: &str) -> String {
    let date = xmp_date(meta.epoch);
    let keywords = xml(&meta.keywords.join(","));
    let claim = match target {
        Target::Screen => "<pdfuaid:part>1</pdfuaid:part>".to_string(),
        Target::Print(_) => format!(
            "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\
             <xmpMM:DocumentID>uuid:{id}</xmpMM:DocumentID><xmpMM:VersionID>1</xmpMM:VersionID>\
             <xmpMM:RenditionClass>default</xmpMM:RenditionClass>"
        ),
    };
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" \
         xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\">\n\
         <dc:format>application/pdf</dc:format>\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
         <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n\
         <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n\
         <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n\
         <pdf:Keywords>{keywords}</pdf:Keywords><pdf:Producer>{producer}</pdf:Producer><pdf:Trapped>False</pdf:Trapped>\n\
         <xmp:CreatorTool>vitrine</xmp:CreatorTool><xmp:CreateDate>{date}</xmp:CreateDate>\
         <xmp:ModifyDate>{date}</xmp:ModifyDate><xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
         {claim}\n\
         </rdf:Description></rdf:RDF></x:xmpmeta>\n\
         <?xpacket end=\"r\"?>",
        title = xml(meta.title),
        author = xml(meta.author),
        subject = xml(meta.subject),
        lang = xml(meta.lang),
        producer = xml(&producer()),
    )
}

fn producer() -> String {
    format!("vitrine {}", env!("CARGO_PKG_VERSION"))
}

/// Writes the poster as a one-page A3 PDF: the screen poster, or the print
/// file with its bleed and marks.
pub fn write(
    placed: &Placed,
    fonts: &FontObjects,
    faces: &Faces,
    meta: &Meta,
    target: Target,
    deflaters: &Deflaters,
) -> Result<Vec<u8>, String> {
    use lopdf::dictionary;
    let mut doc = PdfDocument::new(meta.title);
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.subject = meta.subject.to_string();
    info.keywords = meta.keywords.to_vec();
    info.creator = "vitrine".to_string();
    info.producer = producer();
    let date = printpdf::OffsetDateTime::from_unix_timestamp(meta.epoch)
        .map_err(|e| format!("creation date {}: {e:?}", meta.epoch))?;
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    let (w, h) = match target {
        Target::Screen => (PAGE_W, PAGE_H),
        Target::Print(_) => (PAGE_W + 2.0 * SLUG, PAGE_H + 2.0 * SLUG),
    };
    doc.with_pages(vec![PdfPage::new(Pt(w).into(), Pt(h).into(), Vec::new())]);
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut Vec::new());
    let mut used = [false; 3];
    let (content, mcids) = page(placed, fonts, faces, target, &mut used)?;
    let content = deflaters.deflate(&content)?;
    // printpdf draws a random document ID: make one of the content, so
    // that the same poster always gives the same bytes
    let mut doc_hash = Fnv::new();
    doc_hash.write_u64(fonts.fingerprint());
    doc_hash.write(&content);
    doc_hash.write(meta.title.as_bytes());
    doc_hash.write(meta.lang.as_bytes());
    let page_id = lo.page_iter().next().ok_or("the PDF has no page")?;
    let contents = lo.get_dictionary(page_id).and_then(|p| p.get(b"Contents")).and_then(Object::as_reference);
    match lo.get_object_mut(contents.map_err(|e| format!("the page: {e}"))?) {
        Ok(Object::Stream(stream)) => {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(content);
        }
        _ => return Err("the page has no content stream".into()),
    }
    fonts.add_to(&mut lo, used)?;
    // the fonts' objects come first: the page has another number now
    let page_id = lo.page_iter().next().ok_or("the PDF has no page")?;
    let d = doc_hash.finish();
    let id = format!("{:016x}{:016x}", d, d.rotate_left(32) ^ 0x5bd1_e995);
    let uuid = format!("{}-{}-{}-{}-{}", &id[..8], &id[8..12], &id[12..16], &id[16..20], &id[20..]);
    let metadata = lopdf::Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(meta, target, &uuid).into_bytes(),
    );
    let metadata = lo.add_object(metadata);
    let mut catalog = dictionary! {
        "Lang" => Object::string_literal(meta.lang),
        "Metadata" => metadata,
        "ViewerPreferences" => dictionary! { "DisplayDocTitle" => true },
    };
    let page = match target {
        Target::Screen => {
            lo.version = "1.7".into();
            let annots = add_links(&mut lo, page_id, &placed.links)?;
            let tree = add_structure(&mut lo, page_id, &placed.nodes, &mcids, &annots);
            catalog.set("MarkInfo", dictionary! { "Marked" => true });
            catalog.set("StructTreeRoot", tree);
            dictionary! { "StructParents" => 0, "Tabs" => "S" }
        }
        Target::Print(print) => {
            lo.version = "1.6".into();
            let profile = lo.add_object(print.profile.clone());
            let mut intent = print.intent.clone();
            intent.set("DestOutputProfile", profile);
            catalog.set("OutputIntents", vec![Object::Dictionary(intent)]);
            // the registration colour of the crop marks: every ink at full
            let all = vec![
                Object::Name(b"Separation".to_vec()),
                Object::Name(b"All".to_vec()),
                Object::Name(b"DeviceCMYK".to_vec()),
                Object::Dictionary(dictionary! {
                    "FunctionType" => 2,
                    "Domain" => vec![0.into(), 1.into()],
                    "C0" => vec![0.into(), 0.into(), 0.into(), 0.into()],
                    "C1" => vec![1.into(), 1.into(), 1.into(), 1.into()],
                    "N" => 1,
                }),
            ];
            resources(&mut lo)?.set("ColorSpace", dictionary! { "All" => all });
            let bleed = [SLUG - BLEED, SLUG - BLEED, SLUG + PAGE_W + BLEED, SLUG + PAGE_H + BLEED];
            let box_of = |b: [f32; 4]| b.map(Object::Real).to_vec();
            dictionary! {
                "TrimBox" => box_of([SLUG, SLUG, SLUG + PAGE_W, SLUG + PAGE_H]),
                "BleedBox" => box_of(bleed),
            }
        }
    };
    let page_dict = lo.get_object_mut(page_id).and_then(|o| o.as_dict_mut()).map_err(|e| format!("the page: {e}"))?;
    page.into_iter().for_each(|(k, v)| page_dict.set(k, v));
    let root = lo.trailer.get(b"Root").and_then(|r| r.as_reference()).map_err(|e| format!("PDF catalog: {e}"))?;
    let root_dict = lo.get_object_mut(root).and_then(|o| o.as_dict_mut()).map_err(|e| format!("PDF catalog: {e}"))?;
    catalog.into_iter().for_each(|(k, v)| root_dict.set(k, v));
    // printpdf writes an empty PDF/X version, which readers take as a claim of PDF/X
    if let Ok(info) = lo.trailer.get(b"Info").and_then(|r| r.as_reference())
        && let Ok(dict) = lo.get_object_mut(info).and_then(|o| o.as_dict_mut())
    {
        match target {
            Target::Screen => {
                dict.remove(b"GTS_PDFXVersion");
            }
            Target::Print(_) => dict.set("GTS_PDFXVersion", Object::string_literal("PDF/X-4")),
        }
        dict.set("Trapped", Object::Name(b"False".to_vec()));
    }
    let id = Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let mut out = Vec::with_capacity(64 * 1024);
    lo.save_to(&mut out).map_err(|e| format!("writing the PDF: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colour_field_runs_into_the_bleed_on_each_side_it_touches() {
        // how far each side moved, in bleeds: left, top, right, bottom
        let grown = |r: Rect| {
            let b = bled(r);
            let out = [r.x - b.x, r.y - b.y, (b.x + b.w) - (r.x + r.w), (b.y + b.h) - (r.y + r.h)];
            out.map(|d| (d / BLEED).round() as i32)
        };
        assert_eq!(grown(Rect { x: 0.0, y: 0.0, w: PAGE_W, h: PAGE_H }), [1, 1, 1, 1]);
        assert_eq!(grown(Rect { x: 10.0, y: 10.0, w: 100.0, h: 100.0 }), [0, 0, 0, 0]);
        // a band along the bottom right: out to the right and the bottom only
        let corner = Rect { x: PAGE_W - 100.0, y: PAGE_H - 50.0, w: 100.0, h: 50.0 };
        assert_eq!(grown(corner), [0, 0, 1, 1]);
        assert_eq!(grown(Rect { x: 0.0, y: 0.0, w: PAGE_W, h: 80.0 }), [1, 1, 1, 0]);
    }
}
