"""Delete one organization API key, reporting the outcome precisely.

    ATLAS_BASE_URL=... ATLAS_PUBLIC_KEY=... ATLAS_PRIVATE_KEY=... \\
        python examples/delete_org_api_key.py ORG_ID API_KEY_ID

ATLAS_BASE_URL defaults to https://cloud.mongodb.com/api/atlas/v1.0.
"""

import os
import sys

import atlas_admin


def main() -> int:
    if len(sys.argv) != 3:
        print(f"usage: {sys.argv[0]} ORG_ID API_KEY_ID", file=sys.stderr)
        return 2
    org_id, api_key_id = sys.argv[1:]
    try:
        with atlas_admin.Client(
            public_key=os.environ.get("ATLAS_PUBLIC_KEY", ""),
            private_key=os.environ.get("ATLAS_PRIVATE_KEY", ""),
            base_url=os.environ.get("ATLAS_BASE_URL", atlas_admin.DEFAULT_BASE_URL),
        ) as client:
            client.delete_org_api_key(org_id, api_key_id)
    except atlas_admin.AtlasError as e:
        print(f"failed ({type(e).__name__}): {e}", file=sys.stderr)
        if e.error_code:
            print(f"  HTTP {e.status}, errorCode {e.error_code}", file=sys.stderr)
        return 1
    print(f"deleted API key {api_key_id} from organization {org_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
