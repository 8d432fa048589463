#!/usr/bin/env python3
"""Writes the demo dossiers' files: small valid PDFs, two PNG plates and an HTML page.

The dossiers are written by the vitrine project for its demo (see ../ATTRIBUTION.md); their
files are placeholders that a PDF reader or a browser opens: a title page saying what the real
dossier would hold. Run once from this folder; the files are committed, and the SHA-256 the
script prints go into ../dossier-files.csv. The output is deterministic (no dates inside).
"""
import hashlib
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pdf_text(s):
    """A PDF string in WinAnsi: Latin-1 letters as octal escapes, so the file stays ASCII."""
    out = []
    for c in s:
        if c in "()\\":
            out.append("\\" + c)
        elif ord(c) < 128:
            out.append(c)
        else:
            out.append("\\%03o" % c.encode("latin-1", "replace")[0])
    return "(" + "".join(out) + ")"


def pdf(path, title, lines):
    y = 760
    ops = ["BT", "/F1 20 Tf", "56 %d Td" % y, pdf_text(title) + " Tj", "/F1 11 Tf"]
    for line in lines:
        ops.append("0 -22 Td")
        ops.append(pdf_text(line) + " Tj")
    ops.append("0 -40 Td")
    ops.append(pdf_text("Document de démonstration écrit par le projet vitrine (CC0).") + " Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ("<< /Title %s /Creator (vitrine demo) >>" % pdf_text(title)).encode("ascii"),
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        body += b"%010d 00000 n \n" % off
    body += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(body)


def png(path, width, height, top, bottom):
    """A vertical gradient from `top` to `bottom` (RGB): a stand-in for a plate."""
    rows = b""
    for y in range(height):
        t = y / (height - 1)
        pixel = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom))
        rows += b"\x00" + pixel * width
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    )


PDFS = {
    "impressionnisme-dossier-enseignant.pdf": ("L'impressionnisme : Monet, Manet, Degas", [
        "Dossier enseignant - cycles 4 et lycée.",
        "Quatre oeuvres du musée d'Orsay, une séquence de trois séances,",
        "des pistes en arts plastiques, histoire et français.",
    ]),
    "impressionnisme-fiche-eleve.pdf": ("L'impressionnisme - fiche élève", [
        "Observer une toile : la lumière, la touche, le motif.",
    ]),
    "moreau-fiche-mediation.pdf": ("Gustave Moreau, peintre des mythes", [
        "Fiche de médiation pour la visite en classe (CM1 à 5e).",
        "Europe, les Argonautes, les Piérides : raconter un mythe devant une toile.",
    ]),
    "courbet-catalogue.pdf": ("Courbet et le réalisme", [
        "Catalogue de l'exposition - extrait (introduction et liste des oeuvres).",
    ]),
    "algues-brunes-documentation.pdf": ("Les algues brunes de l'herbier", [
        "Documentation scientifique : Scytosiphon lomentaria, Ascophyllum nodosum.",
        "Spécimens récoltés en Norvège ; notes de détermination.",
    ]),
    "misanthrope-dossier-pedagogique.pdf": ("Le Misanthrope : préparer la représentation", [
        "Dossier pédagogique pour les classes de lycée.",
        "La pièce, la mise en scène de la saison, des exercices avant et après le spectacle.",
    ]),
    "miserables-fiche-mediation.pdf": ("Les Misérables - adaptation jeune public", [
        "Fiche de médiation pour les classes de CE2 au CM2.",
    ]),
    "gautier-conference.pdf": ("Gautier, peintre et critique d'art", [
        "Support de la conférence : les Salons, la critique, la poésie des Emaux et Camées.",
    ]),
}

for name, (title, lines) in PDFS.items():
    pdf(HERE / name, title, lines)
png(HERE / "planches/paysage-1.png", 48, 32, (120, 170, 220), (70, 120, 60))
png(HERE / "planches/paysage-2.png", 48, 32, (240, 200, 150), (90, 90, 140))
(HERE / "planches/index.html").write_text(
    """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Planches : le paysage au XIXe siècle</title></head>
<body><h1>Planches : le paysage au XIXe siècle</h1>
<p>Jeu d'images pour la classe (document de démonstration écrit par le projet vitrine, CC0).</p>
<ol><li><img src="paysage-1.png" alt="Planche 1 : ciel et prairie"></li>
<li><img src="paysage-2.png" alt="Planche 2 : soir sur la rivière"></li></ol>
</body></html>
""",
    encoding="utf-8",
)

for path in sorted(HERE.rglob("*")):
    if path.is_file() and path.suffix in {".pdf", ".png", ".html"}:
        print(path.relative_to(HERE), hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size)
