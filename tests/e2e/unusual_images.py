"""Writes the image files a browser decodes unusually, zipped, for tests/e2e/unusual-images.test.ts.

    /usr/bin/python3 tests/e2e/unusual_images.py <outdir>

mixed.zip: train/happy and train/sad with 5 ordinary 48x48 grayscale JPEGs each, plus a truncated
JPEG (the first half of one), a CMYK JPEG (Adobe, as Photoshop writes them), a 16-bit grayscale
PNG, a truncated PNG, an SVG drawing named .png and a real 20,000 x 20,000 PNG (1 bit per pixel,
~40 KB zipped). mismatch.zip: train/{happy,sad} and test/{happy,angry}: the splits disagree on the
classes; train also holds an animated GIF (40x40) and an animated lossless WebP (32x32), each
with a gray first frame and a red second one.
Needs Pillow and numpy (Debian: python3-pil, python3-numpy); exits 3 without them.
"""
import io
import struct
import sys
import zipfile
import zlib

try:
    import numpy as np
    from PIL import Image
except ImportError as err:
    print(f'unusual_images.py needs Pillow and numpy ({err})', file=sys.stderr)
    sys.exit(3)


def face(seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:48, 0:48]
    return (127 + 60 * np.sin(x / 5 + seed) + 40 * np.cos(y / 7) + rng.integers(0, 20, (48, 48))).clip(0, 255).astype(np.uint8)


def jpeg(pixels, mode='L'):
    out = io.BytesIO()
    Image.fromarray(pixels).convert(mode).save(out, 'JPEG', quality=90)
    return out.getvalue()


def png16(pixels):
    out = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint16) * 257).save(out, 'PNG')
    data = out.getvalue()
    assert data[24] == 16, 'Pillow wrote a PNG that is not 16 bits per sample'
    return data


def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def huge_png(side=20000):
    """A valid 1-bit grayscale PNG of side x side black pixels, written row by row."""
    deflate = zlib.compressobj(9)
    row = bytes(1 + side // 8)
    data = b''.join(deflate.compress(row) for _ in range(side)) + deflate.flush()
    header = struct.pack('>IIBBBBB', side, side, 1, 0, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', header) + png_chunk(b'IDAT', data) + png_chunk(b'IEND', b'')


def animated(fmt, side, seed):
    gray = Image.fromarray(face(seed)[:side, :side]).convert('RGB')
    red = Image.new('RGB', (side, side), (220, 30, 30))
    out = io.BytesIO()
    options = {'lossless': True} if fmt == 'WEBP' else {}
    gray.save(out, fmt, save_all=True, append_images=[red], duration=100, loop=0, **options)
    return out.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><circle cx="24" cy="24" r="20"/></svg>'


def main(outdir):
    with zipfile.ZipFile(f'{outdir}/mixed.zip', 'w') as z:
        for i in range(5):
            z.writestr(f'train/happy/h{i}.jpg', jpeg(face(i)))
            z.writestr(f'train/sad/s{i}.jpg', jpeg(face(10 + i)))
        whole = jpeg(face(99))
        z.writestr('train/happy/truncated.jpg', whole[: len(whole) // 2])
        z.writestr('train/sad/cmyk.jpg', jpeg(face(42), 'CMYK'))
        z.writestr('train/sad/deep.png', png16(face(43)))
        whole_png = png16(face(44))
        z.writestr('train/happy/cut.png', whole_png[: len(whole_png) // 2])
        z.writestr('train/sad/drawing.png', SVG)
        z.writestr('train/sad/huge.png', huge_png(), zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(f'{outdir}/mismatch.zip', 'w') as z:
        for name in ('happy', 'sad'):
            for i in range(4):
                z.writestr(f'train/{name}/{name}{i}.jpg', jpeg(face(i)))
        for name in ('happy', 'angry'):
            for i in range(2):
                z.writestr(f'test/{name}/{name}{i}.jpg', jpeg(face(i + 5)))
        z.writestr('train/happy/wave.gif', animated('GIF', 40, 7))
        z.writestr('train/sad/blink.webp', animated('WEBP', 32, 8))


if __name__ == '__main__':
    main(sys.argv[1])
