"""Job permissions: a job, its progress and its result are the requester's alone.

Not even an office head of the same tenant sees another user's job: the result may be an export the
other user is allowed to make, but its download is audited as the requester's read.
"""

import rules

from sinergi.core.policy import in_same_tenant, is_tenant_user


@rules.predicate
def is_requester(user, job) -> bool:
    """The user started the job."""
    return job is not None and job.requested_by_id == user.pk


rules.add_perm("jobs.view_job", is_tenant_user & in_same_tenant & is_requester)
