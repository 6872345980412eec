"""Photos for a release (PPRA butir 4): faces found with the Haar cascades bundled in
opencv-python-headless (nothing downloaded), EXIF/GPS reported before it is stripped, and a copy with
every face pixelated beyond recognition and no metadata at all.

Frontal and profile cascades (a profile both ways), on the whole photo and, for a large photo, on
overlapping tiles so that small faces (a crowd, a class photo) are found too. Haar cascades still miss
some faces (covered, tilted, very small): the report says how many were found and the editor still
looks; the blurred copy is an aid, not a guarantee.
"""

import io
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image

from sinergi.documents.services import MIME_JPEG, MIME_PNG, image_strip_metadata, sniff_mime

MAX_PHOTO_BYTES = 10 * 1024 * 1024
_DETECT_MAX_SIDE = 1024  # detection runs on a copy at most this large: fast and stable
_TILE_MAX_SIDE = 3072  # small faces: tiles of a copy at most this large
_TILE_OVERLAP = 128
ERROR_NOT_A_PHOTO = _("Upload a JPEG or PNG photo (at most 10 MB).")

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_REPORTED_TAGS = ("Make", "Model", "DateTime", "DateTimeOriginal", "Software", "Artist", "ImageDescription")


@dataclass
class PhotoReport:
    mime: str
    width: int
    height: int
    faces: list[tuple[int, int, int, int]] = field(default_factory=list)  # x, y, w, h in the original
    exif: dict[str, str] = field(default_factory=dict)
    gps: tuple[float, float] | None = None

    @property
    def has_metadata(self) -> bool:
        return bool(self.exif) or self.gps is not None

    def as_json(self) -> dict:
        return {
            "width": self.width,
            "height": self.height,
            "faces": [{"x": x, "y": y, "width": w, "height": h} for x, y, w, h in self.faces],
            "exif": self.exif,
            "gps": {"latitude": self.gps[0], "longitude": self.gps[1]} if self.gps else None,
        }


@lru_cache(maxsize=1)
def _cascades():
    import cv2

    names = ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
    return [cv2.CascadeClassifier(cv2.data.haarcascades + name) for name in names]


def _decode(data: bytes):
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValidationError(ERROR_NOT_A_PHOTO)
    return image


def _mime(data: bytes) -> str:
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(ERROR_NOT_A_PHOTO)
    try:
        mime = sniff_mime(data)
    except ValidationError as exc:
        raise ValidationError(ERROR_NOT_A_PHOTO) from exc
    if mime not in (MIME_JPEG, MIME_PNG):
        raise ValidationError(ERROR_NOT_A_PHOTO)
    return mime


def detect_faces(image) -> list[tuple[int, int, int, int]]:
    """Face boxes (x, y, w, h) in `image` (a BGR array), frontal and profile (both directions).

    Two passes: the whole image at most 1,024 px (large faces), and, for a larger photo, overlapping
    1,024 px tiles of a copy at most 3,072 px (small faces in a group or street photo, down to 20 px)."""
    import cv2

    height, width = image.shape[:2]
    boxes = _detect_scaled(image, _DETECT_MAX_SIDE / max(height, width))
    if max(height, width) > _DETECT_MAX_SIDE:
        scale = min(1.0, _TILE_MAX_SIDE / max(height, width))
        big = cv2.resize(image, (int(width * scale), int(height * scale))) if scale < 1 else image
        bh, bw = big.shape[:2]
        for y0 in _tile_starts(bh):
            for x0 in _tile_starts(bw):
                tile = big[y0 : y0 + _DETECT_MAX_SIDE, x0 : x0 + _DETECT_MAX_SIDE]
                for x, y, w, h in _detect_scaled(tile, 1.0, small_faces=True):
                    boxes.append((int((x + x0) / scale), int((y + y0) / scale), int(w / scale), int(h / scale)))
    return _merge_boxes(boxes)


def _tile_starts(side: int) -> list[int]:
    if side <= _DETECT_MAX_SIDE:
        return [0]
    stride = _DETECT_MAX_SIDE - _TILE_OVERLAP
    starts = list(range(0, side - _DETECT_MAX_SIDE, stride))
    return [*starts, side - _DETECT_MAX_SIDE]


def _detect_scaled(image, scale: float, *, small_faces: bool = False) -> list[tuple[int, int, int, int]]:
    import cv2

    scale = min(1.0, scale)
    height, width = image.shape[:2]
    small = cv2.resize(image, (int(width * scale), int(height * scale))) if scale < 1 else image
    gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
    min_side = 20 if small_faces else max(20, int(min(gray.shape[:2]) * 0.04))
    # The first pass leaves the small faces to the tiles, except on a photo that needs no tiles.
    if not small_faces and max(image.shape[:2]) <= _DETECT_MAX_SIDE:
        min_side = 20
    size = (min_side, min_side)
    frontal, profile = _cascades()
    boxes: list[tuple[int, int, int, int]] = []
    for found in (
        frontal.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=size),
        profile.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=size),
        [
            (gray.shape[1] - x - w, y, w, h)
            for x, y, w, h in profile.detectMultiScale(cv2.flip(gray, 1), scaleFactor=1.1, minNeighbors=5, minSize=size)
        ],
    ):
        for x, y, w, h in found:
            boxes.append((int(x / scale), int(y / scale), int(w / scale), int(h / scale)))
    return boxes


def _merge_boxes(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """One box per face: a box whose centre lies inside a kept one is the same face found again."""
    kept: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes, key=lambda b: -b[2] * b[3]):
        cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
        if not any(k[0] <= cx <= k[0] + k[2] and k[1] <= cy <= k[1] + k[3] for k in kept):
            kept.append(box)
    return kept


def _exif(data: bytes) -> tuple[dict[str, str], tuple[float, float] | None]:
    try:
        with Image.open(io.BytesIO(data)) as img:
            exif = img.getexif()
            out: dict[str, str] = {}
            merged = dict(exif)
            merged.update(exif.get_ifd(_EXIF_IFD))
            for tag_id, value in merged.items():
                name = ExifTags.TAGS.get(tag_id, "")
                if name in _REPORTED_TAGS and str(value).strip():
                    out[name] = str(value).strip()[:200]
            gps_ifd = exif.get_ifd(_GPS_IFD)
    except Exception:  # unreadable metadata is reported as none; the pixels are checked separately
        return {}, None
    gps = None
    if gps_ifd:
        out["GPS"] = "yes"
        try:
            lat = _degrees(gps_ifd[2]) * (-1 if gps_ifd.get(1) in ("S", b"S") else 1)
            lon = _degrees(gps_ifd[4]) * (-1 if gps_ifd.get(3) in ("W", b"W") else 1)
            gps = (round(lat, 6), round(lon, 6))
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            gps = None
    return out, gps


def _degrees(value) -> float:
    d, m, s = (float(v) for v in value)
    return d + m / 60 + s / 3600


def photo_check(*, data: bytes) -> PhotoReport:
    """Faces and metadata of one photo (nothing is stored)."""
    mime = _mime(data)
    image = _decode(data)
    exif, gps = _exif(data)
    height, width = image.shape[:2]
    return PhotoReport(mime=mime, width=width, height=height, faces=detect_faces(image), exif=exif, gps=gps)


def blurred_copy(*, data: bytes) -> bytes:
    """A JPEG of the photo with every detected face pixelated (coarse blocks, then blurred) and no metadata."""
    import cv2

    mime = _mime(data)
    # Orientation applied and metadata dropped first, so the boxes match what a viewer shows.
    clean = image_strip_metadata(data=data, mime=mime)
    image = _decode(clean)
    height, width = image.shape[:2]
    for x, y, w, h in detect_faces(image):
        pad_w, pad_h = int(w * 0.25), int(h * 0.3)
        x0, y0 = max(0, x - pad_w), max(0, y - pad_h)
        x1, y1 = min(width, x + w + pad_w), min(height, y + h + pad_h)
        region = image[y0:y1, x0:x1]
        blocks = cv2.resize(region, (4, 4), interpolation=cv2.INTER_AREA)
        region[:] = cv2.GaussianBlur(cv2.resize(blocks, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST), (0, 0), 9)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise ValidationError(ERROR_NOT_A_PHOTO)
    return image_strip_metadata(data=encoded.tobytes(), mime=MIME_JPEG)
