"""Writes the image files a browser decodes unusually, zipped, for tests/e2e/unusual-images.test.ts.

    /usr/bin/python3 tests/e2e/unusual_images.py <outdir>

mixed.zip: train/happy and train/sad with 5 ordinary 48x48 grayscale JPEGs each, plus a truncated
JPEG (the first half of one), a CMYK JPEG (Adobe, as Photoshop writes them) and a 16-bit grayscale
PNG. mismatch.zip: train/{happy,sad} and test/{happy,angry}: the splits disagree on the classes.
Needs Pillow and numpy (Debian: python3-pil, python3-numpy); exits 3 without them.
"""
import io
import sys
import zipfile

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


def main(outdir):
    with zipfile.ZipFile(f'{outdir}/mixed.zip', 'w') as z:
        for i in range(5):
            z.writestr(f'train/happy/h{i}.jpg', jpeg(face(i)))
            z.writestr(f'train/sad/s{i}.jpg', jpeg(face(10 + i)))
        whole = jpeg(face(99))
        z.writestr('train/happy/truncated.jpg', whole[: len(whole) // 2])
        z.writestr('train/sad/cmyk.jpg', jpeg(face(42), 'CMYK'))
        z.writestr('train/sad/deep.png', png16(face(43)))
    with zipfile.ZipFile(f'{outdir}/mismatch.zip', 'w') as z:
        for name in ('happy', 'sad'):
            for i in range(4):
                z.writestr(f'train/{name}/{name}{i}.jpg', jpeg(face(i)))
        for name in ('happy', 'angry'):
            for i in range(2):
                z.writestr(f'test/{name}/{name}{i}.jpg', jpeg(face(i + 5)))


if __name__ == '__main__':
    main(sys.argv[1])
