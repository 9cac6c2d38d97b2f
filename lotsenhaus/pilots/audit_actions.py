"""Audit actions of pilots: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

PILOT_CREATE = action("pilot.create")
PILOT_DECIDE = action("pilot.decide")
PILOT_KPI_ADD = action("pilot.kpi_add")
PILOT_LESSONS = action("pilot.lessons")
PILOT_MEASURE = action("pilot.measure")
PILOT_MEASURE_IMPORT = action("pilot.measure_import")
PILOT_MILESTONE_ADD = action("pilot.milestone_add")
PILOT_MILESTONE_DONE = action("pilot.milestone_done")
PILOT_RISK_ADD = action("pilot.risk_add")
PILOT_RISK_RESOLVE = action("pilot.risk_resolve")
PILOT_START = action("pilot.start")
PILOT_STATUS_REPORT = action("pilot.status_report")
PILOT_UPDATE = action("pilot.update")
