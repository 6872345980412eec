"""Photos: faces found with the bundled Haar cascades, EXIF/GPS reported, and the blurred copy has no
face any more and no metadata. The face is drawn here (no photo of a real person in the repository)."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sinergi.publications.ppra import photos

cv2 = pytest.importorskip("cv2")
np = pytest.importorskip("numpy")


def _drawn_face(size: int = 400):
    """A synthetic face the frontal cascade finds: skin oval, hair, brows, eyes, nose shadow, mouth."""
    img = np.full((size, size, 3), 200, np.uint8)
    c = size // 2
    cv2.ellipse(img, (c, c), (int(size * 0.28), int(size * 0.36)), 0, 0, 360, (150, 170, 200), -1)
    cv2.ellipse(img, (c, int(c - size * 0.30)), (int(size * 0.30), int(size * 0.12)), 0, 0, 360, (40, 40, 50), -1)
    for dx in (-1, 1):
        eye_x = c + dx * int(size * 0.11)
        cv2.ellipse(
            img, (eye_x, int(c - size * 0.10)), (int(size * 0.07), int(size * 0.02)), 0, 0, 360, (50, 50, 60), -1
        )
        cv2.ellipse(
            img, (eye_x, int(c - size * 0.05)), (int(size * 0.06), int(size * 0.03)), 0, 0, 360, (60, 50, 50), -1
        )
    cv2.line(img, (c, int(c - size * 0.03)), (c - int(size * 0.02), int(c + size * 0.09)), (110, 120, 150), 6)
    cv2.ellipse(img, (c, int(c + size * 0.10)), (int(size * 0.05), int(size * 0.02)), 0, 0, 360, (110, 120, 150), -1)
    cv2.ellipse(img, (c, int(c + size * 0.19)), (int(size * 0.09), int(size * 0.025)), 0, 0, 360, (80, 80, 140), -1)
    return cv2.GaussianBlur(img, (0, 0), size / 150)


def _jpeg_with_gps(image) -> bytes:
    rgb = Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    exif = Image.Exif()
    exif[0x010F] = "KameraContoh"  # Make
    exif[0x0110] = "Model 1"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (0.0, 25.0, 12.0), 3: "E", 4: (117.0, 0.0, 36.0)})
    out = io.BytesIO()
    rgb.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def photo() -> bytes:
    return _jpeg_with_gps(_drawn_face())


def test_a_face_and_the_gps_position_are_reported(photo):
    report = photos.photo_check(data=photo)
    assert len(report.faces) >= 1
    assert report.exif["Make"] == "KameraContoh"
    assert report.gps == (pytest.approx(-0.42, abs=0.01), pytest.approx(117.01, abs=0.01))


def test_the_blurred_copy_has_no_face_and_no_exif(photo):
    copy = photos.blurred_copy(data=photo)
    rescan = photos.photo_check(data=copy)
    assert rescan.faces == []
    assert rescan.exif == {}
    assert rescan.gps is None
    with Image.open(io.BytesIO(copy)) as img:
        assert not img.getexif()
        assert "exif" not in img.info


def _small_face_photo(canvas: int = 2400, face: int = 100) -> bytes:
    """A large photo (grey gradient, like a wall in daylight) with one face of `face` px: at the
    1,024 px detection copy it is ~40 px, below what the whole-image pass looks for."""
    ramp = np.linspace(40, 230, canvas, dtype=np.uint8)
    img = np.repeat(np.tile(ramp, (canvas, 1))[:, :, None], 3, axis=2)
    drawn = cv2.resize(_drawn_face(400), (face, face), interpolation=cv2.INTER_AREA)
    at = (canvas - face) // 2
    img[at : at + face, at : at + face] = drawn
    out = io.BytesIO()
    Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB)).save(out, format="JPEG", quality=92)
    return out.getvalue()


def test_a_small_face_in_a_large_photo_is_found_and_blurred():
    data = _small_face_photo()
    faces = photos.photo_check(data=data).faces
    assert len(faces) == 1
    x, y, w, h = faces[0]
    assert 1100 <= x + w / 2 <= 1300
    assert 1100 <= y + h / 2 <= 1300
    assert photos.photo_check(data=photos.blurred_copy(data=data)).faces == []


def test_a_photo_without_a_face_reports_none():
    blank = io.BytesIO()
    Image.new("RGB", (300, 200), (120, 160, 90)).save(blank, format="PNG")
    assert photos.photo_check(data=blank.getvalue()).faces == []


def test_something_else_is_refused():
    with pytest.raises(ValidationError):
        photos.photo_check(data=b"%PDF-1.4 bukan foto")


@pytest.mark.django_db
def test_checker_page_reports_the_photo_and_offers_the_blurred_copy(humas, client_for, photo):
    client = client_for(humas)
    response = client.post("/publications/", {"photos": [SimpleUploadedFile("foto.jpg", photo, "image/jpeg")]})
    body = response.content.decode()
    assert '<p class="ppra-block">' in body  # a face: PPRA point 4
    assert "117.0100" in body  # the GPS position, reported before it is stripped
    link = body.split('href="/publications/photos/')[1].split('"')[0]
    download = client.get(f"/publications/photos/{link}")
    assert download["Content-Type"] == "image/jpeg"
    assert photos.photo_check(data=download.content).faces == []
    assert client.get("/publications/photos/unknown/").status_code == 404


@pytest.mark.django_db
def test_another_user_cannot_fetch_my_blurred_copy(humas, kadis, client_for, photo):
    body = client_for(humas).post("/publications/", {"photos": [SimpleUploadedFile("f.jpg", photo)]}).content.decode()
    link = body.split('href="/publications/photos/')[1].split('"')[0]
    assert client_for(kadis).get(f"/publications/photos/{link}").status_code == 404


@pytest.mark.django_db
def test_photo_api(humas, client_for, photo):
    response = client_for(humas).post(
        "/api/v1/publications/photos/check/", {"photo": SimpleUploadedFile("f.jpg", photo), "blur": "true"}
    )
    body = response.json()
    assert body["findings"][0]["point"] == 4
    assert body["gps"]["longitude"] == pytest.approx(117.01, abs=0.01)
    assert photos.photo_check(data=base64.b64decode(body["blurred_jpeg_base64"])).faces == []
