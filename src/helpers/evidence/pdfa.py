"""PDF/A-2u from Chromium's tagged PDF, and the checks that say whether a file is one.

Chromium prints a tagged PDF (structure tree, `Lang`, embedded font subsets with ToUnicode maps)
but not an archival one: no XMP metadata, no output intent, no document ID. `to_pdfa` adds exactly
those with pikepdf and keeps everything else (tags, bookmarks, links). Ghostscript's PDF/A route
is not used: its pdfwrite device drops the structure tree, `MarkInfo`, `Lang` and the document
information (measured with Ghostscript 10.0 on the 2026 edition).

Conformance: PDF/A-2 level U (ISO 19005-2: Unicode for all text). Level A would also need the
tags themselves to be checked, which no tool here can do.

Two checks, because no full PDF/A-2 validator runs offline here (veraPDF is neither in Debian nor
reachable): `check` is this project's own check of the PDF/A-2 rules that matter for this file,
and `preflight` runs Apache PDFBox Preflight (Debian `libpdfbox2-java`), a PDF/A-1b validator,
and waives by code only the findings that PDF/A-2 allows (see WAIVED). Both together are the
verdict `validate` returns.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ICC_PROFILE = Path(__file__).with_name("icc") / "sRGB.icc"
ICC_NAME = "sRGB IEC61966-2.1"
PART, CONFORMANCE = 2, "U"
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


@dataclass(frozen=True)
class PdfaInfo:
    """What the XMP says besides the document information: kommun, year, diarienummer, language."""

    kommun: str
    year: int
    language: str = "sv-SE"
    dnr: str | None = None


# --- writing ---------------------------------------------------------------------------------------

def _xmp_date(pdf_date: str) -> str:
    from pikepdf.models.metadata import decode_pdf_date

    return decode_pdf_date(pdf_date).isoformat()


def _now_pdf() -> str:
    from helpers.evidence.provenance import recorded_time

    when = dt.datetime.fromisoformat(recorded_time()[0]).astimezone(dt.UTC)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_packet(docinfo: dict[str, str], info: PdfaInfo) -> bytes:
    """The XMP packet: the document information mirrored exactly (PDF/A requires it), plus pdfaid."""
    def alt(text):
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    keywords = [k.strip() for k in docinfo.get("/Keywords", "").split(",") if k.strip()]
    extra = []
    if info.dnr:
        extra.append(f"   <dc:identifier>{escape(info.dnr)}</dc:identifier>")
    body = "\n".join([
        "   <dc:format>application/pdf</dc:format>",
        f"   <dc:title>{alt(docinfo.get('/Title', ''))}</dc:title>",
        f"   <dc:creator><rdf:Seq><rdf:li>{escape(docinfo.get('/Author', ''))}</rdf:li></rdf:Seq></dc:creator>",
        f"   <dc:description>{alt(docinfo.get('/Subject', ''))}</dc:description>",
        f"   <dc:publisher><rdf:Bag><rdf:li>{escape(info.kommun)}</rdf:li></rdf:Bag></dc:publisher>",
        f"   <dc:coverage>{info.year}</dc:coverage>",
        f"   <dc:language><rdf:Bag><rdf:li>{escape(info.language)}</rdf:li></rdf:Bag></dc:language>",
        "   <dc:subject><rdf:Bag>" + "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in keywords) + "</rdf:Bag></dc:subject>",
        *extra,
        f"   <pdf:Keywords>{escape(docinfo.get('/Keywords', ''))}</pdf:Keywords>",
        f"   <pdf:Producer>{escape(docinfo.get('/Producer', ''))}</pdf:Producer>",
        f"   <xmp:CreatorTool>{escape(docinfo.get('/Creator', ''))}</xmp:CreatorTool>",
        f"   <xmp:CreateDate>{_xmp_date(docinfo['/CreationDate'])}</xmp:CreateDate>",
        f"   <xmp:ModifyDate>{_xmp_date(docinfo['/ModDate'])}</xmp:ModifyDate>",
        f"   <pdfaid:part>{PART}</pdfaid:part>",
        f"   <pdfaid:conformance>{CONFORMANCE}</pdfaid:conformance>",
    ])
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items() if k not in ("x", "rdf"))
    text = (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            f'<x:xmpmeta xmlns:x="{NS["x"]}">\n <rdf:RDF xmlns:rdf="{NS["rdf"]}">\n'
            f'  <rdf:Description rdf:about="" {ns}>\n{body}\n  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n'
            '<?xpacket end="w"?>')
    return text.encode("utf-8")


def to_pdfa(pdf: bytes, info: PdfaInfo) -> bytes:
    """The same PDF as PDF/A-2u: XMP metadata, an sRGB output intent and a document ID; tags kept.

    The ID is derived from the content (the same content gives the same bytes), annotations get
    the print flag PDF/A requires, and nothing else is rewritten.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    doc = pikepdf.open(io.BytesIO(pdf))
    for key in ("/CreationDate", "/ModDate"):
        if key not in doc.docinfo:
            doc.docinfo[key] = _now_pdf()
    docinfo = {k: str(v) for k, v in doc.docinfo.items()}
    profile = pikepdf.Stream(doc, ICC_PROFILE.read_bytes())
    profile.N = 3
    doc.Root.OutputIntents = Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String(ICC_NAME),
        Info=String(ICC_NAME), RegistryName=String("http://www.color.org"), DestOutputProfile=profile)])
    meta = pikepdf.Stream(doc, xmp_packet(docinfo, info))
    meta.Type, meta.Subtype = Name.Metadata, Name.XML
    doc.Root.Metadata = meta
    for page in doc.pages:
        for annot in page.obj.get("/Annots", []):
            flags = int(annot.get("/F", 0))
            annot.F = (flags | 4) & ~(1 | 2 | 32)  # Print on; Invisible, Hidden, NoView off
    out = io.BytesIO()
    doc.save(out, deterministic_id=True, min_version="1.7", compress_streams=True)
    return out.getvalue()


# --- this project's own check of PDF/A-2 rules -------------------------------------------------------

RULES = (
    "filhuvud %PDF-1.n med n ≤ 7 (ISO 19005-2 6.1.2)",
    "ingen kryptering (6.1.3)",
    "dokument-id (ID) i trailern (6.1.3)",
    "XMP-metadata i katalogen, ofiltrerad, läsbar (6.6.2)",
    "pdfaid:part 2 och pdfaid:conformance A, B eller U (6.6.4)",
    "dokumentinformationen och XMP säger samma sak: titel, upphov, ämne, nyckelord, program, datum (6.6.3)",
    "en utdataavsikt (OutputIntent GTS_PDFA1) med inbäddad ICC-profil för RGB (6.2.3)",
    "alla typsnitt inbäddade (6.2.11.4)",
    "Unicode för all text: ToUnicode i varje typsnitt (6.2.11.7, nivå U)",
    "ingen JavaScript, inga start- (Launch) eller andra förbjudna åtgärder, inga AA-åtgärder (6.5)",
    "varje annotering utskrivbar och inte dold (6.3.2)",
    "inga inbäddade filer (6.8)",
    "taggarna finns kvar: StructTreeRoot, MarkInfo/Marked och språk (Lang)",
)
_FORBIDDEN_ACTIONS = {"/Launch", "/JavaScript", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide",
                      "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"}


def _fonts(doc):
    seen = set()
    for page in doc.pages:
        stack = [page.obj.get("/Resources")]
        while stack:
            res = stack.pop()
            if res is None:
                continue
            for _name, font in (res.get("/Font") or {}).items():
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
                yield font
                for sub in font.get("/DescendantFonts", []):
                    if sub.objgen not in seen:
                        seen.add(sub.objgen)
                        yield sub
            for _name, xobj in (res.get("/XObject") or {}).items():
                if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
                    seen.add(xobj.objgen)
                    stack.append(xobj.get("/Resources"))


def _xmp_values(raw: bytes) -> dict[str, str]:
    from lxml import etree

    root = etree.fromstring(raw)
    out = {}
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        for attr, value in desc.attrib.items():  # the short form: properties as attributes
            out[attr] = value
        for child in desc:
            items = child.findall(f".//{{{NS['rdf']}}}li")
            out[child.tag] = ", ".join((i.text or "") for i in items) if items else (child.text or "")
    return out


def check(pdf: bytes) -> list[str]:
    """Deviations from the PDF/A-2 rules in RULES, in Swedish; [] = none found (a partial check)."""
    import pikepdf
    from pikepdf.models.metadata import decode_pdf_date

    problems = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n", pdf[:10]):
        problems.append(f"filhuvudet är {pdf[:8]!r}, inte %PDF-1.n med n ≤ 7")
    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PasswordError:
        return problems + ["filen är krypterad"]
    if doc.is_encrypted:
        problems.append("filen är krypterad")
    ident = doc.trailer.get("/ID")
    if ident is None or len(ident) != 2:
        problems.append("trailern saknar dokument-id (ID)")
    root = doc.Root
    meta = root.get("/Metadata")
    xmp: dict[str, str] = {}
    if meta is None:
        problems.append("XMP-metadata saknas i katalogen")
    else:
        if meta.get("/Filter") is not None:
            problems.append("XMP-metadatan är komprimerad (Filter)")
        try:
            xmp = _xmp_values(meta.read_bytes())
        except Exception as exc:  # noqa: BLE001 - any parse error is the finding
            problems.append(f"XMP-metadatan går inte att läsa ({type(exc).__name__})")
    part = xmp.get(f"{{{NS['pdfaid']}}}part")
    conf = xmp.get(f"{{{NS['pdfaid']}}}conformance")
    if meta is not None and (part != str(PART) or conf not in ("A", "B", "U")):
        problems.append(f"pdfaid anger del {part!r} och nivå {conf!r}, inte del 2 med nivå A, B eller U")
    info = {k: str(v) for k, v in doc.docinfo.items()}
    pairs = {"/Title": "dc}title", "/Author": "dc}creator", "/Subject": "dc}description",
             "/Keywords": "pdf}Keywords", "/Producer": "pdf}Producer", "/Creator": "xmp}CreatorTool"}
    for key, prop in pairs.items():
        ns, local = prop.split("}")
        value = xmp.get(f"{{{NS[ns]}}}{local}")
        if key in info and value != info[key]:
            problems.append(f"dokumentinformationens {key[1:]} ({info[key]!r}) och XMP ({value!r}) skiljer sig")
    for key, local in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        value = xmp.get(f"{{{NS['xmp']}}}{local}")
        if key in info:
            try:
                same = value is not None and dt.datetime.fromisoformat(value) == decode_pdf_date(info[key])
            except ValueError:
                same = False
            if not same:
                problems.append(f"dokumentinformationens {key[1:]} ({info[key]}) och XMP ({value}) skiljer sig")
    intents = [oi for oi in root.get("/OutputIntents", []) if oi.get("/S") == "/GTS_PDFA1"]
    if not intents:
        problems.append("utdataavsikt (OutputIntent GTS_PDFA1) saknas")
    for oi in intents:
        profile = oi.get("/DestOutputProfile")
        if profile is None or int(profile.get("/N", 0)) != 3 or profile.read_bytes()[16:20] != b"RGB ":
            problems.append("utdataavsikten har ingen inbäddad ICC-profil för RGB")
    for font in _fonts(doc):
        name = str(font.get("/BaseFont", font.get("/FontName", "?")))
        if font.get("/Subtype") in ("/Type0", "/Type3"):
            if font.get("/Subtype") == "/Type0" and "/ToUnicode" not in font:
                problems.append(f"typsnittet {name} saknar ToUnicode (text utan Unicode)")
            continue
        desc = font.get("/FontDescriptor")
        if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"typsnittet {name} är inte inbäddat")
        if font.get("/Subtype") != "/CIDFontType0" and font.get("/Subtype") != "/CIDFontType2" \
                and "/ToUnicode" not in font:
            problems.append(f"typsnittet {name} saknar ToUnicode (text utan Unicode)")
    names = root.get("/Names") or {}
    if "/JavaScript" in names:
        problems.append("dokumentet innehåller JavaScript")
    if "/EmbeddedFiles" in names:
        problems.append("dokumentet har inbäddade filer")
    if "/AA" in root:
        problems.append("katalogen har AA-åtgärder")
    if "/OpenAction" in root and root.OpenAction.get("/S") in _FORBIDDEN_ACTIONS:
        problems.append(f"öppningsåtgärden är {root.OpenAction.get('/S')}")
    for number, page in enumerate(doc.pages, start=1):
        if "/AA" in page.obj:
            problems.append(f"sidan {number} har AA-åtgärder")
        for annot in page.obj.get("/Annots", []):
            flags = int(annot.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32):
                problems.append(f"sidan {number}: en annotering ({annot.get('/Subtype')}) är inte utskrivbar eller är dold")
            action = annot.get("/A")
            if action is not None and action.get("/S") in _FORBIDDEN_ACTIONS:
                problems.append(f"sidan {number}: en länk startar {action.get('/S')}")
            if "/AA" in annot:
                problems.append(f"sidan {number}: en annotering har AA-åtgärder")
    if "/StructTreeRoot" not in root or not bool((root.get("/MarkInfo") or {}).get("/Marked", False)):
        problems.append("taggarna saknas (StructTreeRoot eller MarkInfo/Marked)")
    if "/Lang" not in root:
        problems.append("dokumentets språk (Lang) saknas")
    return problems


# --- Apache PDFBox Preflight ---------------------------------------------------------------------------

PREFLIGHT_JARS = ("preflight.jar", "pdfbox2.jar", "fontbox2.jar", "xmpbox.jar", "commons-logging.jar",
                  "javax.activation.jar", "jaxb-api.jar")
JAVA_DIR = Path("/usr/share/java")
# Preflight checks PDF/A-1b. These findings are PDF/A-1 rules that PDF/A-2 relaxed; everything
# else it reports counts.
WAIVED = {
    "1.0.6": "reella tal utanför ±32 767: en gräns i PDF 1.4; PDF/A-2 följer PDF 1.7 (ISO 32000-1 bilaga C)",
    "2.2.1": "transparensgrupp (S /Transparency): förbjuden i PDF/A-1, tillåten i PDF/A-2 (6.4)",
    "3.1.11": "CIDSet saknas: krävs i PDF/A-1, i PDF/A-2 bara om det finns (6.2.11.4.2)",
    "4.1": "genomskinlighet: förbjuden i PDF/A-1, tillåten i PDF/A-2 (6.4)",
    "7.11.1": "pdfaid:conformance U: en nivå som finns i PDF/A-2 men inte i PDF/A-1",
    "7.11.2": "pdfaid:part 2: filen gör anspråk på PDF/A-2, inte PDF/A-1",
}
_FINDING = re.compile(r"^(\d+(?:\.\d+)*) : (.*)$")


def preflight_available() -> bool:
    return shutil.which("java") is not None and all((JAVA_DIR / j).is_file() for j in PREFLIGHT_JARS)


def _waived(code: str) -> str | None:
    return next((why for prefix, why in WAIVED.items() if code == prefix or code.startswith(prefix + ".")), None)


@dataclass
class Verdict:
    """The validators' verdict on one PDF: what counts, what was waived and why, who checked."""

    problems: list[str] = field(default_factory=list)
    waived: dict[str, int] = field(default_factory=dict)
    validators: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def preflight(pdf: bytes, verdict: Verdict) -> None:
    """Run Apache PDFBox Preflight on the file and add its findings (waived ones counted, not failed)."""
    classpath = ":".join(str(JAVA_DIR / j) for j in PREFLIGHT_JARS)
    with tempfile.TemporaryDirectory(prefix="uppf-pdfa-") as tmp:
        path = Path(tmp) / "fil.pdf"
        path.write_bytes(pdf)
        proc = subprocess.run(["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
                              capture_output=True, text=True, timeout=600)
    version = next((j.name for j in sorted(JAVA_DIR.glob("preflight-*.jar"))), "preflight.jar")
    verdict.validators.append(f"Apache PDFBox Preflight ({version}, PDF/A-1b-regler, PDF/A-2-undantag: "
                              f"{', '.join(WAIVED)})")
    lines = (proc.stdout + proc.stderr).splitlines()
    if proc.returncode != 0 and not any(_FINDING.match(line) for line in lines):
        verdict.problems.append(f"Preflight kunde inte köras (slutkod {proc.returncode}): {' '.join(lines[-3:])}")
        return
    for line in lines:
        m = _FINDING.match(line.strip())
        if not m:
            continue
        code, text = m.groups()
        if _waived(code):
            verdict.waived[code] = verdict.waived.get(code, 0) + 1
        else:
            verdict.problems.append(f"Preflight {code}: {text}")


def validate(pdf: bytes, *, with_preflight: bool = True) -> Verdict:
    """Both checks: this project's PDF/A-2 rules, then Preflight when Java and its jars are installed."""
    verdict = Verdict(problems=check(pdf), validators=["uppföljningsbokens PDF/A-2-kontroll (pikepdf)"])
    if with_preflight and preflight_available():
        preflight(pdf, verdict)
    return verdict
