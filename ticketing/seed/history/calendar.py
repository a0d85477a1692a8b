"""The shop's clock: new-conversation volume per day and hour, when agents work (Mon-Fri 08-20,
Sat 10-16) and the policy's SLA business hours."""

from __future__ import annotations

import bisect
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ticketing.policy.schemas import Policy
from ticketing.seed.history.world import GROWTH, HOUR, HOUR_WEIGHTS, WEEKDAY_WEIGHTS

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Calendar:
    """`days` shop-local days ending with `end_day`. Nothing after `end` (default: the end of
    `end_day`) happens; `growth` is the last day's volume over the first day's."""

    def __init__(
        self,
        policy: Policy,
        end_day: date,
        days: int,
        *,
        end: float | None = None,
        growth: float = GROWTH,
    ) -> None:
        self.zone = ZoneInfo(policy.timezone)
        self.first_day = end_day - timedelta(days=days - 1)
        self.days = days
        self.growth = growth
        self.start = self.midnight(self.first_day)
        self.end = self.midnight(end_day + timedelta(days=1)) if end is None else end
        hours = policy.business_hours
        self.open_weekdays = {WEEKDAYS.index(d) for d in hours.days}
        self.open_minutes = hours.open.hour * 60 + hours.open.minute
        self.close_minutes = hours.close.hour * 60 + hours.close.minute
        self.holidays = set(hours.holidays)
        hour_total = sum(HOUR_WEIGHTS)
        self.hour_cumulative = [sum(HOUR_WEIGHTS[: h + 1]) / hour_total for h in range(24)]

    def midnight(self, day: date) -> float:
        return datetime.combine(day, time(0), tzinfo=self.zone).timestamp()

    def local(self, at: float) -> datetime:
        return datetime.fromtimestamp(at, self.zone)

    def day_weights(self) -> list[float]:
        weights = []
        for index in range(self.days):
            day = self.first_day + timedelta(days=index)
            growth = 1 + (self.growth - 1) * index / max(self.days - 1, 1)
            season = 1.35 if (day.month == 11 and day.day >= 20) or day.month == 12 else 1.0
            weights.append(growth * WEEKDAY_WEIGHTS[day.weekday()] * season)
        return weights

    def day_counts(self, total: int) -> list[int]:
        """`total` split over the days by weight (largest remainders get the rest)."""
        weights = self.day_weights()
        scale = total / sum(weights)
        exact = [w * scale for w in weights]
        counts = [int(x) for x in exact]
        order = sorted(range(self.days), key=lambda i: counts[i] - exact[i])
        for index in order[: total - sum(counts)]:
            counts[index] += 1
        return counts

    def times_on(self, rng: random.Random, index: int, count: int) -> list[float]:
        """`count` sorted moments on day `index`, following the hour-of-day profile."""
        day = self.first_day + timedelta(days=index)
        midnight = self.midnight(day)
        offset = self.local(midnight + 12 * HOUR).utcoffset() or timedelta(0)
        base = datetime.combine(day, time(0), tzinfo=UTC).timestamp() - offset.total_seconds()
        moments = []
        for _ in range(count):
            hour = bisect.bisect_right(self.hour_cumulative, rng.random())
            moments.append(base + min(hour, 23) * HOUR + rng.random() * HOUR)
        moments.sort()
        return moments

    def staffed(self, at: float) -> bool:
        moment = self.local(at)
        weekday, hour = moment.weekday(), moment.hour
        return (weekday < 5 and 8 <= hour < 20) or (weekday == 5 and 10 <= hour < 16)

    def next_staffed(self, at: float) -> float:
        """The next moment agents are at work (`at` itself when they are)."""
        moment = self.local(at)
        for _ in range(8):
            if self.staffed(moment.timestamp()):
                return moment.timestamp()
            weekday, hour = moment.weekday(), moment.hour
            opens = 10 if weekday == 5 else 8
            if weekday == 6 or (weekday == 5 and hour >= 16) or (weekday < 5 and hour >= 20):
                moment = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0)
                continue
            moment = moment.replace(hour=opens, minute=0, second=0)
        return moment.timestamp()

    def _business_day(self, day: date) -> bool:
        return day.weekday() in self.open_weekdays and day not in self.holidays

    def business_deadline(self, start: float, minutes: float) -> float:
        """The moment `minutes` of business time (policy hours) have passed since `start`."""
        moment = self.local(start)
        left = minutes
        for _ in range(400):
            day = moment.date()
            if self._business_day(day):
                now_minutes = moment.hour * 60 + moment.minute + moment.second / 60
                begin = max(now_minutes, self.open_minutes)
                if begin < self.close_minutes:
                    available = self.close_minutes - begin
                    if left <= available:
                        at = begin + left
                        local = datetime.combine(day, time(0), tzinfo=self.zone)
                        return (local + timedelta(minutes=at)).timestamp()
                    left -= available
            following = day + timedelta(days=1)
            moment = datetime.combine(following, time(0), tzinfo=self.zone)
        return moment.timestamp()
