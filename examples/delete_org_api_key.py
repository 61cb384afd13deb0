"""Deletes one organization API key: python delete_org_api_key.py API_KEY_ID
Host and credentials come from the environment (MONGODB_ATLAS_BASE_URL,
MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, or an
Atlas CLI profile), the organization from MONGODB_ATLAS_ORG_ID."""
import os
import sys

import atlas_admin

org_id = os.environ.get("MONGODB_ATLAS_ORG_ID")
if len(sys.argv) != 2 or not org_id:
    print(f"usage: {sys.argv[0]} API_KEY_ID" if len(sys.argv) != 2 else
          "MONGODB_ATLAS_ORG_ID is not set: export the organization's ID", file=sys.stderr)
    sys.exit(2)
try:
    with atlas_admin.Client.from_env() as client:  # closing revokes a service account's token
        client.delete_org_api_key(org_id, sys.argv[1])
except atlas_admin.AtlasError as e:
    print(f"{type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
print(f"deleted API key {sys.argv[1]} from organization {org_id}")
