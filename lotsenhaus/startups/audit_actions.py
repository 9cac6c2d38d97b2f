"""Audit actions of startups: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

SOLUTION_CREATE = action("solution.create")
SOLUTION_DELETE = action("solution.delete")
SOLUTION_IMAGE_ADD = action("solution.image_add")
SOLUTION_IMAGE_REMOVE = action("solution.image_remove")
SOLUTION_UPDATE = action("solution.update")
STARTUP_CERTIFICATION_ADD = action("startup.certification_add")
STARTUP_CLAIM = action("startup.claim")
STARTUP_CONTACT_ADD = action("startup.contact_add")
STARTUP_EXPIRE_UNVERIFIED = action("startup.expire_unverified")
STARTUP_REFERENCE_ADD = action("startup.reference_add")
STARTUP_REGISTER = action("startup.register")
STARTUP_REVERIFY = action("startup.reverify")
STARTUP_SCOUT = action("startup.scout")
STARTUP_UPDATE = action("startup.update")
STARTUP_IMPORT_PREVIEW = action("startup_import.preview")
STARTUP_IMPORT_RUN = action("startup_import.run")
STARTUP_IMPORT_START = action("startup_import.start")
STARTUP_VERIFICATION = {decision: action(f"startup.{decision}") for decision in ("verified", "rejected")}
STARTUP_ITEM_REMOVE = {
    model: action(f"startup.{model}_remove") for model in ("publicreference", "certification", "contactperson")
}
