"""Updates applied instance by instance: what the assignment's `updates.per_instance` makes of them.

The course text allows the update rule per instance; the teacher decides what it is worth
(`accept`: full credit with a note, `partial`: half the credit of the probes that show it,
`reject`: judged as a wrong update). probes/per_instance.py recognises the pattern.
"""
from __future__ import annotations

from ..i18n import _
from .context import Context

__all__ = ['PER_INSTANCE_CREDIT', 'per_instance_note']

PER_INSTANCE_CREDIT = {'accept': 1.0, 'partial': 0.5, 'reject': 0.0}


def per_instance_note(ctx: Context, where: str) -> str:
    setting = ctx.settings.per_instance_updates
    text = {'accept': _('{where}: the parameters are updated instance by instance inside the backward loop (the '
                        'course allows the update rule per instance), so later instances of a batch see weights '
                        'already updated; accepted in this assignment'),
            'partial': _('{where}: the parameters are updated instance by instance inside the backward loop, so '
                         'later instances of a batch see weights already updated; this assignment gives half the '
                         'points for it'),
            'reject': _('{where}: the parameters are updated instance by instance inside the backward loop; this '
                        'assignment asks for one update per batch: bₒ −= (α/N)·Σₙ qₙₒ')}[setting]
    return text.format(where=where)
