"""The archive package in Riksarkivet's FGS Paketstruktur 2.0 (E-ARK CSIP 2.1.0 with E-ARK SIP 2.1.0).

`archive_year` (package.py) lays the package out as CSIP asks and calls this module for what
CSIP adds to it:

    METS.xml                              the root METS: every file with its SHA-256 and size
    manifest.json, arkiv.json, SHA256SUMS the project's own manifest (its SHA-256 is the one for the diarium)
    metadata/descriptive/beskrivning.xml  Dublin Core: arkivbildare, kommun, plan, year, dnr and beslut when given
    metadata/preservation/premis.xml      PREMIS 3.0: the representations, and events (built, rebuilt, PDF, archived)
    representations/utgava/data/          notebooks, indata, tabeller, PDF, korning.json
    representations/html/data/            the web pages of the year (<år>/), with the landing page and
                                          the shared list of editions copied in, so the pages are whole
    representations/kod/data/             helpers, the notebook templates, the lock files (and wheels with --med-hjul)
    schemas/                              the XML schemas the package's XML is valid against
    documentation/LASMIG.txt              what the package is and how to check it, in Swedish

METS.xml cannot be inside the manifest it lists, so `verify_mets` checks it against the package
instead: valid against the schemas, and listing exactly the package's files with their hashes.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import shutil
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from helpers.core.errors import RunError

PACKAGE_FORMAT = "FGS Paketstruktur 2.0 (E-ARK CSIP 2.1.0, E-ARK SIP 2.1.0)"
METS_FILE = "METS.xml"
SCHEMA_DIR = Path(__file__).with_name("schemas")
PACKAGE_SCHEMAS = ("mets.xsd", "xlink.xsd", "premis.xsd", "DILCISExtensionMETS.xsd",
                   "DILCISExtensionSIPMETS.xsd", "LICENSE-CC-BY-4.0.txt", "README.md")
DESCRIPTIVE = "metadata/descriptive/beskrivning.xml"
PREMIS = "metadata/preservation/premis.xml"
DOCUMENTATION = "documentation/LASMIG.txt"
REPRESENTATIONS = ("utgava", "html", "kod")
OLD_PARTS = {"utgava": "utgava", "html": "html", "kod": "kod"}  # packages written before this format
HTML_SHARED = ("index.html", "utgavor.js")  # the landing page and the list of editions every page loads
NS_METS, NS_XLINK = "http://www.loc.gov/METS/", "http://www.w3.org/1999/xlink"
NS_CSIP, NS_SIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS", "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
NS_PREMIS, NS_DC = "http://www.loc.gov/premis/v3", "http://purl.org/dc/elements/1.1/"
_REMOTE = {"http://www.loc.gov/standards/xlink/xlink.xsd": "xlink.xsd"}


def parts_for(year: int) -> dict[str, str]:
    """Where each representation's files lie in a new package (the HTML keeps its <år>/ folder)."""
    return {"utgava": "representations/utgava/data", "html": f"representations/html/data/{year}",
            "kod": "representations/kod/data"}


def parts(manifest: dict) -> dict[str, str]:
    """The package's layout as its manifest records it; packages without the record are the old layout."""
    return (manifest.get("arkiv") or {}).get("delar") or OLD_PARTS


# --- writing ---------------------------------------------------------------------------------------

def _x(value) -> str:
    return escape(str(value))


def descriptive_xml(desc: dict) -> str:
    """Dublin Core for the e-arkiv's catalogue: who created the records, about what, which decision."""
    rows = [("title", desc["titel"]), ("creator", desc["arkivbildare"]), ("publisher", desc["kommun"]),
            ("relation", desc["plan"]), ("coverage", desc["ar"]), ("date", desc["byggd"]), ("language", "sv"),
            ("type", "Text"), ("format", "application/pdf; text/html; application/x-ipynb+json; text/csv")]
    if desc.get("exempeldata"):
        rows.append(("description", "Utgåvan bygger på påhittade exempeldata och är inget beslutsunderlag."))
    if desc.get("diarienummer"):
        rows.append(("identifier", f"Dnr {desc['diarienummer']}"))
    if desc.get("beslut"):
        rows.append(("description", f"Beslut: {desc['beslut']}"))
    body = "\n".join(f"  <dc:{k}>{_x(v)}</dc:{k}>" for k, v in rows)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<beskrivning xmlns:dc="{NS_DC}">\n{body}\n</beskrivning>\n'


def _event(ident: str, kind: str, when: str, detail: str, agent: str, objects: list[str]) -> str:
    links = "".join(
        f"<premis:linkingObjectIdentifier><premis:linkingObjectIdentifierType>local</premis:linkingObjectIdentifierType>"
        f"<premis:linkingObjectIdentifierValue>{_x(o)}</premis:linkingObjectIdentifierValue></premis:linkingObjectIdentifier>"
        for o in objects)
    return (f"  <premis:event>\n"
            f"   <premis:eventIdentifier><premis:eventIdentifierType>local</premis:eventIdentifierType>"
            f"<premis:eventIdentifierValue>{_x(ident)}</premis:eventIdentifierValue></premis:eventIdentifier>\n"
            f"   <premis:eventType>{_x(kind)}</premis:eventType>\n"
            f"   <premis:eventDateTime>{_x(when)}</premis:eventDateTime>\n"
            f"   <premis:eventDetailInformation><premis:eventDetail>{_x(detail)}</premis:eventDetail>"
            f"</premis:eventDetailInformation>\n"
            f"   <premis:eventOutcomeInformation><premis:eventOutcome>lyckades</premis:eventOutcome>"
            f"</premis:eventOutcomeInformation>\n"
            f"   <premis:linkingAgentIdentifier><premis:linkingAgentIdentifierType>local</premis:linkingAgentIdentifierType>"
            f"<premis:linkingAgentIdentifierValue>{_x(agent)}</premis:linkingAgentIdentifierValue>"
            f"</premis:linkingAgentIdentifier>\n   {links}\n  </premis:event>\n")


def premis_xml(manifest: dict, record: dict, desc: dict) -> str:
    """PREMIS 3.0: the three representations and what happened to them, with who did it."""
    git = manifest.get("kod", {}).get("git", {}).get("kod", {})
    version = f"git {git.get('commit') or 'okänd'}, helpers SHA-256 {manifest.get('kod', {}).get('helpers_sha256', '?')}"
    objects = "".join(
        f'  <premis:object xsi:type="premis:representation">\n'
        f"   <premis:objectIdentifier><premis:objectIdentifierType>local</premis:objectIdentifierType>"
        f"<premis:objectIdentifierValue>representations/{name}</premis:objectIdentifierValue></premis:objectIdentifier>\n"
        f"  </premis:object>\n" for name in REPRESENTATIONS)
    events = [_event("byggd", "creation", manifest["byggd"],
                     f"Utgåvan {manifest['ar']} byggdes från sina indata (python -m helpers rapport)"
                     + (", med påhittade exempeldata" if manifest.get("exempeldata") else ""),
                     "programvara", ["representations/utgava", "representations/html"])]
    rebuilt = manifest.get("ombyggd_efter_arkivering")
    if rebuilt:
        why = "; ".join(f"{k}: {v}" for k, v in sorted(rebuilt.items()) if v not in (None, ""))
        events.append(_event("ombyggd", "modification", manifest["byggd"],
                             f"Ett fastställt år byggdes om med --tvinga ({why})", "programvara",
                             ["representations/utgava", "representations/html"]))
    pdf = manifest.get("pdf")
    if isinstance(pdf, dict) and pdf.get("skapad"):
        events.append(_event("pdf", "creation", pdf["skapad"],
                             f"PDF-utgåvan {pdf.get('fil')} ({pdf.get('pdfa', 'PDF')}, {pdf.get('sidor')} sidor) skrevs "
                             "från webbsidorna (python -m helpers pdf)", "programvara", ["representations/utgava"]))
    earlier = record.get("tidigare")
    events.append(_event("arkiverad", "packing", record["arkiverad"],
                         f"Arkivpaketet version {record['version']} skrevs och året fastställdes (python -m helpers "
                         "arkivera)" + (f"; ersätter version {earlier['version']} (manifestets SHA-256 "
                                        f"{earlier['manifest_sha256']})" if earlier else "")
                         + (f"; orsak: {record['orsak']}" if record.get("orsak") else ""),
                         "programvara", [f"representations/{n}" for n in REPRESENTATIONS]))
    events.append(_event("kontrollsummor", "message digest calculation", record["arkiverad"],
                         "SHA-256 för varje fil i manifest.json, METS.xml och SHA256SUMS", "programvara",
                         [f"representations/{n}" for n in REPRESENTATIONS]))
    agents = (f"  <premis:agent>\n   <premis:agentIdentifier><premis:agentIdentifierType>local</premis:agentIdentifierType>"
              f"<premis:agentIdentifierValue>programvara</premis:agentIdentifierValue></premis:agentIdentifier>\n"
              f"   <premis:agentName>Uppföljningsboken (python -m helpers)</premis:agentName>\n"
              f"   <premis:agentType>software</premis:agentType>\n   <premis:agentVersion>{_x(version)}</premis:agentVersion>\n"
              f"  </premis:agent>\n"
              f"  <premis:agent>\n   <premis:agentIdentifier><premis:agentIdentifierType>local</premis:agentIdentifierType>"
              f"<premis:agentIdentifierValue>arkivbildare</premis:agentIdentifierValue></premis:agentIdentifier>\n"
              f"   <premis:agentName>{_x(desc['arkivbildare'])}</premis:agentName>\n"
              f"   <premis:agentType>organization</premis:agentType>\n  </premis:agent>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<premis:premis xmlns:premis="{NS_PREMIS}" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{NS_PREMIS} ../../schemas/premis.xsd" '
            f'version="3.0">\n{objects}{"".join(events)}{agents}</premis:premis>\n')


README = """Arkivpaket för {titel}
{streck}

Paketet följer Riksarkivets FGS Paketstruktur 2.0 (E-ARK CSIP 2.1.0 och E-ARK SIP 2.1.0).

METS.xml                 paketets innehåll: varje fil med storlek och SHA-256
manifest.json            projektets manifest; dess SHA-256 står i diariet ({diarium})
SHA256SUMS               kontrollsummor, kontrolleras med: sha256sum -c SHA256SUMS
metadata/descriptive/    arkivbildare, kommun, plan, år, diarienummer och beslut (Dublin Core)
metadata/preservation/   PREMIS 3.0: vad som hänt med utgåvan (byggd, PDF, arkiverad)
representations/utgava/  körda notebooks, indata, tabeller och PDF-utgåvan
representations/html/    webbsidorna, med startsidan och listan över utgåvor, öppna {ar}/index.html
representations/kod/     programkoden, notebookmallarna och de låsta paketversionerna
schemas/                 XML-scheman som METS.xml och premis.xml är giltiga mot

Kontrollera hela paketet mot diariets kontrollsumma:
  python -m helpers verifiera --arkiv <paketet> --kontrollsumma <SHA-256 ur diariet>
Återskapa utgåvan (beräkningar och webbsidor) från paketets egna indata och kod:
  python -m helpers reproducera --arkiv <paketet> --arkivets-kod
"""


def write_metadata(tmp: Path, *, manifest: dict, record: dict, desc: dict, shared_html: Path) -> list[str]:
    """Descriptive and preservation metadata, schemas, documentation and the shared web files; their paths."""
    written = {DESCRIPTIVE: descriptive_xml(desc), PREMIS: premis_xml(manifest, record, desc),
               DOCUMENTATION: README.format(titel=desc["titel"], streck="=" * (23 + len(desc["titel"])),
                                            diarium="skrivs ut av arkivera", ar=manifest["ar"])}
    for rel, text in written.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text, encoding="utf-8")
    out = list(written)
    for name in PACKAGE_SCHEMAS:
        (tmp / "schemas").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SCHEMA_DIR / name, tmp / "schemas" / name)
        out.append(f"schemas/{name}")
    html_root = Path(parts_for(manifest["ar"])["html"]).parent.as_posix()
    for name in HTML_SHARED:
        if (shared_html / name).is_file():
            (tmp / html_root).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shared_html / name, tmp / html_root / name)
            out.append(f"{html_root}/{name}")
    problems = validate_xml((tmp / PREMIS).read_bytes(), "premis")
    if problems:
        raise RunError("premis.xml är inte giltig mot PREMIS 3.0:\n" + "\n".join(f"  • {p}" for p in problems))
    return out


def _mime(rel: str) -> str:
    special = {".ipynb": "application/x-ipynb+json", ".csv": "text/csv", ".json": "application/json",
               ".yml": "application/yaml", ".md": "text/markdown", ".xsd": "application/xml", ".js": "text/javascript",
               ".whl": "application/zip", ".toml": "application/toml", ".txt": "text/plain", "": "text/plain"}
    suffix = Path(rel).suffix.lower()
    return special.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"


def _group(files: dict[str, tuple[str, int]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"Documentation": [], "Schemas": [],
                                    **{f"Representations/{n}": [] for n in REPRESENTATIONS}}
    for rel in sorted(files):
        if rel.startswith("documentation/"):
            groups["Documentation"].append(rel)
        elif rel.startswith("schemas/"):
            groups["Schemas"].append(rel)
        elif rel.startswith("representations/"):
            groups[f"Representations/{rel.split('/')[1]}"].append(rel)
    return groups


def mets_xml(files: dict[str, tuple[str, int]], *, manifest: dict, record: dict, desc: dict) -> str:
    """The root METS for every file of the package but METS.xml and SHA256SUMS (`files`: path → (sha256, size))."""
    when = record["arkiverad"]
    objid = f"uppfoljningsrapport-{desc['kommunkod'] or 'kommun'}-{manifest['ar']}-v{record['version']}"
    git = manifest.get("kod", {}).get("git", {}).get("kod", {})

    def ref(rel: str, ident: str, mdtype: str, other: str = "") -> str:
        sha, size = files[rel]
        extra = f' OTHERMDTYPE={quoteattr(other)}' if other else ""
        return (f'<mdRef ID="{ident}-ref" LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(rel)} '
                f'MDTYPE="{mdtype}"{extra} MIMETYPE="{_mime(rel)}" SIZE="{size}" CREATED="{when}" '
                f'CHECKSUM="{sha}" CHECKSUMTYPE="SHA-256"/>')
    amd = [f'  <digiprovMD ID="digiprov-premis" CREATED="{when}" STATUS="CURRENT">{ref(PREMIS, "premis", "PREMIS")}</digiprovMD>']
    for i, rel in enumerate(("manifest.json", "arkiv.json")):
        if rel in files:
            amd.append(f'  <digiprovMD ID="digiprov-{i}" CREATED="{when}" STATUS="CURRENT">'
                       f'{ref(rel, f"manifest-{i}", "OTHER", "Uppföljningsbokens manifest")}</digiprovMD>')
    groups, lines, n = _group(files), [], 0
    for use, rels in groups.items():
        if not rels:
            continue
        gid = "grp-" + use.lower().replace("/", "-")
        lines.append(f'  <fileGrp ID="{gid}" USE="{use}" csip:CONTENTINFORMATIONTYPE="OTHER" '
                     'csip:OTHERCONTENTINFORMATIONTYPE="Uppföljningsbokens utgåva">')
        for rel in rels:
            n += 1
            sha, size = files[rel]
            lines.append(f'   <file ID="f{n:05d}" MIMETYPE="{_mime(rel)}" SIZE="{size}" CREATED="{when}" CHECKSUM="{sha}" '
                         f'CHECKSUMTYPE="SHA-256"><FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(rel)}/>'
                         "</file>")
        lines.append("  </fileGrp>")
    divs = [f'   <div ID="div-metadata" LABEL="Metadata" DMDID="dmd-beskrivning" '
            f'ADMID="{" ".join(a.split(chr(34))[1] for a in amd)}"/>']
    def div(use: str) -> str:
        ident = use.lower().replace("/", "-")
        return f'<div ID="div-{ident}" LABEL="{use}"><fptr FILEID="grp-{ident}"/></div>'
    divs += [f"   {div(u)}" for u in ("Documentation", "Schemas") if groups[u]]
    reps = [u for u, rels in groups.items() if u.startswith("Representations/") and rels]
    divs += ['   <div ID="div-representations" LABEL="Representations">',
             *[f'    <fptr FILEID="grp-{u.lower().replace("/", "-")}"/>' for u in reps],
             *[f'    <div ID="div-{u.lower().replace("/", "-")}" LABEL="{u}"><mptr LOCTYPE="URL" xlink:type="simple" '
               f'xlink:href="representations/{u.split("/")[1]}/{METS_FILE}" xlink:title="grp-{u.lower().replace("/", "-")}"/>'
               "</div>" for u in reps],
             "   </div>"]
    schema_loc = (f"{NS_METS} schemas/mets.xsd {NS_XLINK} schemas/xlink.xsd {NS_CSIP} schemas/DILCISExtensionMETS.xsd "
                  f"{NS_SIP} schemas/DILCISExtensionSIPMETS.xsd")
    agents = [
        f'  <agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><name>Uppföljningsboken (python -m helpers)</name>'
        f'<note csip:NOTETYPE="SOFTWARE VERSION">{_x(git.get("commit") or "okänd git-version")}</note></agent>',
        f'  <agent ROLE="ARCHIVIST" TYPE="ORGANIZATION"><name>{_x(desc["arkivbildare"])}</name></agent>',
        f'  <agent ROLE="OTHER" OTHERROLE="SUBMITTER" TYPE="ORGANIZATION"><name>{_x(desc["kommun"])}</name>'
        + (f'<note csip:NOTETYPE="IDENTIFICATIONCODE">{_x(desc["kommunkod"])}</note>' if desc.get("kommunkod") else "")
        + "</agent>",
    ]
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<mets xmlns="{NS_METS}" xmlns:xlink="{NS_XLINK}" xmlns:csip="{NS_CSIP}" xmlns:sip="{NS_SIP}" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{schema_loc}" '
        f'OBJID="{objid}" LABEL={quoteattr(desc["titel"])} TYPE="Mixed" '
        'csip:CONTENTINFORMATIONTYPE="MIXED" PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml">',
        f' <metsHdr CREATEDATE="{when}" LASTMODDATE="{when}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">',
        *agents,
        " </metsHdr>",
        f' <dmdSec ID="dmd-beskrivning" CREATED="{when}" STATUS="CURRENT">{ref(DESCRIPTIVE, "dmd", "DC")}</dmdSec>',
        ' <amdSec ID="amd">', *amd, " </amdSec>",
        ' <fileSec ID="filesec">', *lines, " </fileSec>",
        ' <structMap ID="structmap" TYPE="PHYSICAL" LABEL="CSIP">',
        f'  <div ID="div-root" LABEL="{objid}">', *divs, "  </div>",
        " </structMap>",
        "</mets>",
        "",
    ])


# --- validation ------------------------------------------------------------------------------------

def _schema(kind: str):
    from lxml import etree

    class Local(etree.Resolver):
        def resolve(self, url, _id, context):
            name = _REMOTE.get(url) or (Path(url).name if Path(url).name in _REMOTE.values() else None)
            return self.resolve_filename(str(SCHEMA_DIR / name), context) if name else None

    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(Local())
    if kind == "premis":
        return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "premis.xsd"), parser))
    imports = [(NS_METS, "mets.xsd"), (NS_XLINK, "xlink.xsd"), (NS_CSIP, "DILCISExtensionMETS.xsd"),
               (NS_SIP, "DILCISExtensionSIPMETS.xsd")]
    wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:uppfoljningsboken:paket">'
               + "".join(f'<xs:import namespace="{ns}" schemaLocation="{(SCHEMA_DIR / f).as_uri()}"/>' for ns, f in imports)
               + "</xs:schema>")
    return etree.XMLSchema(etree.fromstring(wrapper.encode("utf-8"), parser, base_url=SCHEMA_DIR.as_uri() + "/"))


def validate_xml(data: bytes, kind: str) -> list[str]:
    """Errors of a METS (kind 'mets') or PREMIS ('premis') document against the stored schemas, with line numbers."""
    from lxml import etree

    try:
        doc = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        return [f"inte välformad XML ({exc})"]
    schema = _schema(kind)
    if schema.validate(doc):
        return []
    return [f"rad {e.line}: {e.message}" for e in list(schema.error_log)[:20]]


def verify_mets(tree, actual: dict[str, str]) -> list[str]:
    """METS.xml against the package: schema-valid, and listing exactly its files with their SHA-256 and size."""
    from lxml import etree

    raw = tree.read(METS_FILE)
    if raw is None:
        return [f"{METS_FILE}: filen saknas i paketet"]
    problems = [f"{METS_FILE}: {p}" for p in validate_xml(raw, "mets")]
    for rel in mets_documents(actual):
        if rel != METS_FILE:
            problems += [f"{rel}: {p}" for p in validate_xml(tree.read(rel) or b"", "mets")]
    if problems:
        return problems
    doc = etree.fromstring(raw)
    listed: dict[str, tuple[str, int]] = {}
    href = f"{{{NS_XLINK}}}href"
    for f in doc.iter(f"{{{NS_METS}}}file"):
        loc = f.find(f"{{{NS_METS}}}FLocat")
        listed[loc.get(href)] = (f.get("CHECKSUM", "").lower(), int(f.get("SIZE", "-1")))
    for ref in doc.iter(f"{{{NS_METS}}}mdRef"):
        listed[ref.get(href)] = (ref.get("CHECKSUM", "").lower(), int(ref.get("SIZE", "-1")))
    present = {k: v for k, v in actual.items() if k not in (METS_FILE, "SHA256SUMS")}
    for rel in sorted(set(present) - set(listed)):
        problems.append(f"{METS_FILE}: {rel} finns i paketet men inte i METS.xml")
    for rel in sorted(set(listed) - set(present)):
        problems.append(f"{METS_FILE}: {rel} står i METS.xml men finns inte i paketet")
    for rel in sorted(set(listed) & set(present)):
        data = tree.read(rel)
        if listed[rel][0] != present[rel] or (data is not None and listed[rel][1] != len(data)):
            problems.append(f"{METS_FILE}: {rel} har en annan kontrollsumma eller storlek i METS.xml än i paketet")
    return problems


def mets_files(tmp: Path) -> dict[str, tuple[str, int]]:
    """Every file of a package folder being written, but METS.xml and SHA256SUMS: path → (sha256, size)."""
    from helpers.evidence.provenance import sha256

    return {p.relative_to(tmp).as_posix(): (sha256(p), p.stat().st_size) for p in sorted(tmp.rglob("*"))
            if p.is_file() and p.relative_to(tmp).as_posix() not in (METS_FILE, "SHA256SUMS")}


def representation_mets(name: str, files: dict[str, tuple[str, int]], *, manifest: dict, record: dict) -> str:
    """A representation's own METS: its data files (paths relative to the representation folder)."""
    when = record["arkiverad"]
    git = manifest.get("kod", {}).get("git", {}).get("kod", {})
    rows = [f'   <file ID="r{n:05d}" MIMETYPE="{_mime(rel)}" SIZE="{size}" CREATED="{when}" CHECKSUM="{sha}" '
            f'CHECKSUMTYPE="SHA-256"><FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(rel)}/></file>'
            for n, (rel, (sha, size)) in enumerate(sorted(files.items()), start=1)]
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<mets xmlns="{NS_METS}" xmlns:xlink="{NS_XLINK}" xmlns:csip="{NS_CSIP}" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{NS_METS} ../../schemas/mets.xsd '
        f'{NS_XLINK} ../../schemas/xlink.xsd {NS_CSIP} ../../schemas/DILCISExtensionMETS.xsd" '
        f'OBJID="{name}-{manifest["ar"]}-v{record["version"]}" LABEL="{name}" TYPE="Mixed" csip:CONTENTINFORMATIONTYPE="MIXED" '
        'PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml">',
        f' <metsHdr CREATEDATE="{when}" LASTMODDATE="{when}" csip:OAISPACKAGETYPE="SIP">',
        f'  <agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><name>Uppföljningsboken (python -m helpers)</name>'
        f'<note csip:NOTETYPE="SOFTWARE VERSION">{_x(git.get("commit") or "okänd git-version")}</note></agent>',
        " </metsHdr>",
        ' <fileSec ID="filesec">',
        '  <fileGrp ID="grp-data" USE="Data" csip:CONTENTINFORMATIONTYPE="OTHER" '
        'csip:OTHERCONTENTINFORMATIONTYPE="Uppföljningsbokens utgåva">', *rows, "  </fileGrp>",
        " </fileSec>",
        ' <structMap ID="structmap" TYPE="PHYSICAL" LABEL="CSIP">',
        f'  <div ID="div-root" LABEL="{name}"><div ID="div-data" LABEL="Data"><fptr FILEID="grp-data"/></div></div>',
        " </structMap>",
        "</mets>",
        "",
    ])


def write_mets(tmp: Path, *, manifest: dict, record: dict, desc: dict) -> None:
    """Write each representation's METS.xml and the root METS.xml; refuse any not valid against the schemas."""
    docs = {}
    for name in REPRESENTATIONS:
        folder = tmp / "representations" / name
        files = {k.removeprefix(f"representations/{name}/"): v for k, v in mets_files(tmp).items()
                 if k.startswith(f"representations/{name}/") and k != f"representations/{name}/{METS_FILE}"}
        docs[f"representations/{name}/{METS_FILE}"] = representation_mets(name, files, manifest=manifest, record=record)
        (folder / METS_FILE).write_text(docs[f"representations/{name}/{METS_FILE}"], encoding="utf-8")
    docs[METS_FILE] = mets_xml(mets_files(tmp), manifest=manifest, record=record, desc=desc)
    for rel, text in docs.items():
        problems = validate_xml(text.encode("utf-8"), "mets")
        if problems:
            raise RunError(f"{rel} är inte giltig mot METS-schemat:\n" + "\n".join(f"  • {p}" for p in problems))
    (tmp / METS_FILE).write_text(docs[METS_FILE], encoding="utf-8")


def mets_documents(hashes: dict[str, str]) -> list[str]:
    """The METS files of a package (root and representations): checked by verify_mets, not by the manifest."""
    return [rel for rel in hashes if rel == METS_FILE or (rel.startswith("representations/")
                                                          and rel.count("/") == 2 and rel.endswith(f"/{METS_FILE}"))]


def description(config, year: int, manifest: dict, *, dnr: str | None, beslut: str | None) -> dict:
    """The descriptive facts: from the plan: and publicering: blocks of _config.yml and the command line."""
    pub = (config or {}).get("publicering", {}) if isinstance(config, dict) else {}
    plan = (config or {}).get("plan", {}) if isinstance(config, dict) else {}
    kommun = plan.get("kommun") or pub.get("utgivare") or "okänd kommun"
    return {
        "titel": f"Uppföljningsrapport {year} – {kommun}",
        "arkivbildare": pub.get("arkivbildare") or kommun,
        "kommun": kommun,
        "kommunkod": str(plan.get("kommunkod") or ""),
        "plan": plan.get("titel") or pub.get("serie") or "",
        "ar": year,
        "byggd": manifest.get("byggd", "")[:10] or dt.date.today().isoformat(),
        "exempeldata": bool(manifest.get("exempeldata")),
        "diarienummer": dnr,
        "beslut": beslut,
    }
