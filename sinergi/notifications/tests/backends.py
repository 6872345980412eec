"""A mail backend for fault tests: the locmem outbox, plus a fault at the N-th message handed to it."""

from django.core.mail.backends import locmem


class WorkerKilled(BaseException):
    """Stands for the process dying (kill -9): nothing after it runs, no except clause catches it."""


class FaultyBackend(locmem.EmailBackend):
    opened = 0
    handed = 0
    fail_at: int | None = None  # 1-based count of messages handed over, across connections
    failure: BaseException | None = None
    deliver_then_fail = False  # the message went out, then the fault hit (before the row was marked)
    fail_always = False

    @classmethod
    def reset(cls) -> None:
        cls.opened = cls.handed = 0
        cls.fail_at, cls.failure, cls.deliver_then_fail, cls.fail_always = None, None, False, False

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, messages):
        cls = type(self)
        for message in messages:
            cls.handed += 1
            if cls.fail_always or cls.handed == cls.fail_at:
                if cls.deliver_then_fail:
                    super().send_messages([message])
                raise cls.failure
            super().send_messages([message])
        return len(messages)
