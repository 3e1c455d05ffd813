"""The OsmAnd tracking protocol as Traccar's server accepts it (its OsmAndProtocolDecoder).

Two forms reach the same decoder:
- query string: GET (or POST) with the parameters in the URL, or a POST whose form body carries
  them when the URL has none: id|deviceid, timestamp (Unix seconds or milliseconds, ISO 8601 with a
  'T', or 'yyyy-MM-dd HH:mm:ss'), lat, lon or location=lat,lon, speed (knots), bearing|heading
  (degrees), altitude (m), accuracy (m), hdop, batt (%), valid, charge, ...;
- JSON body (Content-Type application/json), as Traccar Client 9 and later send it:
  {"device_id": ..., "location": {"timestamp": ISO 8601, "coords": {"latitude", "longitude",
  "speed" (m/s), "heading", "altitude", "accuracy"}, "battery": {"level": 0..1, "is_charging"},
  "is_moving", "event", "odometer", ...}}.
GridWatch keeps id, time, position, speed, heading, accuracy and battery; the rest is ignored.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl

KNOT_MPS = 1852.0 / 3600.0
MAX_DEVICE_ID = 64


class BadReport(Exception):
    """A request that is not a position report we can use; `status` is the HTTP answer."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True, slots=True)
class Report:
    device_id: str
    t: datetime
    lat: float
    lon: float
    speed_mps: float | None = None
    heading_deg: float | None = None
    accuracy_m: float | None = None
    battery_pct: float | None = None
    valid: bool = True


def parse_timestamp(value: str | int | float, now: datetime | None = None) -> datetime:
    """Traccar's rules: an integer below 2^31 is Unix seconds, above it milliseconds; a string with
    'T' is ISO 8601; otherwise 'yyyy-MM-dd HH:mm:ss' (taken as UTC)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(int(text))
        except ValueError:
            try:
                if "T" in text:
                    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
                else:
                    dt = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                raise BadReport(f"timestamp {text[:40]!r} is not Unix time, ISO 8601 or 'yyyy-MM-dd HH:mm:ss'") from None
            return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
    if not math.isfinite(number):
        raise BadReport("timestamp is not a finite number")
    if number < 2**31 - 1:
        number *= 1000.0
    try:
        return datetime.fromtimestamp(number / 1000.0, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise BadReport(f"timestamp {value!r} is out of range") from None


def _float(name: str, value) -> float:
    if isinstance(value, bool):
        raise BadReport(f"{name} is not a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BadReport(f"{name} {str(value)[:40]!r} is not a number") from None


def _device_id(value) -> str:
    dev = str(value).strip()
    if not dev:
        raise BadReport("the device id is empty")
    if len(dev) > MAX_DEVICE_ID:
        raise BadReport(f"the device id is longer than {MAX_DEVICE_ID} characters")
    return dev


def parse_query(params: list[tuple[str, str]], now: datetime) -> Report:
    fields: dict = {}
    dev = t = lat = lon = None
    valid = True
    for key, value in params:
        if key in ("id", "deviceid"):
            dev = _device_id(value)
        elif key == "timestamp":
            t = parse_timestamp(value, now)
        elif key == "lat":
            lat = _float("lat", value)
        elif key == "lon":
            lon = _float("lon", value)
        elif key == "location":
            parts = value.split(",")
            if len(parts) != 2:
                raise BadReport("location must be 'lat,lon'")
            lat, lon = _float("location latitude", parts[0]), _float("location longitude", parts[1])
        elif key == "speed":
            fields["speed_mps"] = _float("speed", value) * KNOT_MPS
        elif key in ("bearing", "heading"):
            fields["heading_deg"] = _float(key, value)
        elif key == "accuracy":
            fields["accuracy_m"] = _float("accuracy", value)
        elif key == "batt":
            fields["battery_pct"] = _float("batt", value)
        elif key == "valid":
            valid = value.lower() == "true" or value == "1"
    if dev is None:
        raise BadReport("no device id (id or deviceid)")
    if lat is None or lon is None:
        raise BadReport("no position (lat and lon, or location)")
    return Report(dev, t or now, lat, lon, valid=valid, **fields)


def parse_json(body: bytes, now: datetime) -> Report:
    try:
        root = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadReport("the body is not valid UTF-8") from None
    except ValueError as exc:
        raise BadReport(f"the body is not valid JSON ({exc.msg} at {exc.pos})") from None
    if not isinstance(root, dict):
        raise BadReport("the JSON body is not an object")
    if "device_id" not in root:
        raise BadReport("no device_id in the JSON body")
    dev = _device_id(root["device_id"])
    loc = root.get("location")
    if not isinstance(loc, dict) or not isinstance(loc.get("coords"), dict):
        raise BadReport("no location.coords in the JSON body")
    coords = loc["coords"]
    if "latitude" not in coords or "longitude" not in coords:
        raise BadReport("location.coords needs latitude and longitude")
    fields = {}
    for src, dst in (("speed", "speed_mps"), ("heading", "heading_deg"), ("accuracy", "accuracy_m")):
        if coords.get(src) is not None:
            val = _float(src, coords[src])
            # Clients send -1 for "not known" (speed, heading); keep it as unknown.
            fields[dst] = None if val < 0 else val
    battery = loc.get("battery")
    if isinstance(battery, dict) and battery.get("level") is not None:
        level = _float("battery level", battery["level"])
        fields["battery_pct"] = None if level < 0 else level * 100.0
    t = parse_timestamp(loc["timestamp"], now) if loc.get("timestamp") is not None else now
    return Report(dev, t, _float("latitude", coords["latitude"]), _float("longitude", coords["longitude"]), **fields)


def parse_request(method: str, target: str, content_type: str | None, body: bytes, now: datetime | None = None) -> Report:
    """Decode one HTTP request into a report, or raise BadReport with the reason and status."""
    now = now or datetime.now(timezone.utc)
    if method not in ("GET", "POST"):
        raise BadReport(f"method {method} is not accepted (use GET or POST)", 405)
    try:
        target.encode("ascii")
    except UnicodeEncodeError:
        raise BadReport("the request target is not ASCII") from None
    _, _, query = target.partition("?")
    ctype = (content_type or "").split(";")[0].strip().lower()
    if method == "POST" and ctype == "application/json":
        return parse_json(body, now)
    if not query and method == "POST":
        if ctype not in ("", "application/x-www-form-urlencoded", "text/plain"):
            raise BadReport(f"content type {ctype!r} is not accepted (use a query string, a form body or JSON)", 415)
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadReport("the body is not valid UTF-8") from None
    if not query:
        raise BadReport("no report parameters")
    try:
        params = parse_qsl(query, keep_blank_values=True, strict_parsing=True, errors="strict", max_num_fields=64)
    except UnicodeDecodeError:
        raise BadReport("the query is not valid UTF-8 once decoded") from None
    except ValueError as exc:
        raise BadReport(f"malformed query string ({exc})") from None
    return parse_query(params, now)
