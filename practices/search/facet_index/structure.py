"""The facet index itself: one bitset per facet value over slots (bit positions) in title
order, and the walks a page makes along them. Built by ``build``, brought up to date by
``changes``, kept per process by ``store``."""

from array import array
from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class FacetIndex:
    version: int
    ids: array  # bit position -> practice id (also of a slot left empty)
    everything: int  # all published practices
    bits: dict  # param -> {value key -> bitset}
    title_hashes: array  # bit position -> hash of the title (has it moved in title order?)
    # the snapshot of the last read of the change log: entries of the transactions it did not
    # see are read next (see ``change_log.changes_since``); None: rebuild instead
    read_changes_from: str | None
    # practices out of slot order, in title order: position -> the slot it follows (-1: first)
    late: dict = field(default_factory=dict)
    # the same for two indexes only if their slots hold the same practices: what a position
    # in a ranking shared between processes means
    layout: str = ""
    # practice id -> its position, -1 where none (an array: at 1,000,000 practices a dict
    # took 100 MB)
    slot_of: array = field(default_factory=lambda: array("i"))

    def position_of(self, practice_id: int) -> int | None:
        """The position of a published practice, None for any other."""
        if 0 <= practice_id < len(self.slot_of):
            position = self.slot_of[practice_id]
            if position >= 0:
                return position
        return None

    def bytes_of(self, bits: int) -> bytes:
        """A bitset as bytes, bit ``n`` in byte ``n // 8``: cheaper to walk than the int."""
        return bits.to_bytes((len(self.ids) + 7) // 8, "little")

    def in_title_order(self, bits: int, skip: int = 0, most: int | None = None) -> list[int]:
        """The positions set in ``bits`` in title order, leaving out the first ``skip``; the
        next ``most`` only if given."""
        if not self.late:
            return self.positions_of(bits, most, skip=skip)
        found: list[int] = []
        if most is not None and most <= 0:
            return found
        chosen = self.bytes_of(bits)
        late = [
            (anchor, position)
            for position, anchor in self.late.items()
            if chosen[position >> 3] >> (position & 7) & 1
        ]  # anchors rise along title order
        seen, next_late = 0, 0

        def take(position) -> bool:
            nonlocal seen
            if seen >= skip:
                found.append(position)
            seen += 1
            return len(found) == most

        while next_late < len(late) and late[next_late][0] < 0:
            if take(late[next_late][1]):
                return found
            next_late += 1
        for byte_number, byte in enumerate(self.bytes_of(bits & ~self.late_bits)):
            base, last = byte_number * 8, next_late
            while last < len(late) and late[last][0] < base + 8:
                last += 1
            here = byte.bit_count() + last - next_late
            if seen + here <= skip:  # all before the wanted ones
                seen, next_late = seen + here, last
                continue
            for bit in range(8):
                if byte >> bit & 1 and take(base + bit):
                    return found
                while next_late < last and late[next_late][0] == base + bit:
                    if take(late[next_late][1]):
                        return found
                    next_late += 1
        return found

    def title_key(self, position: int) -> int:
        """An integer that rises along title order (below 2**32 within ``MOST_LATE``): the
        position itself while none is late; else, with room after each slot for the late
        practices that follow it."""
        if not self.late:
            return position
        step = len(self.late) + 1
        anchor = self.late.get(position)
        if anchor is None:
            return (position + 1) * step
        return (anchor + 1) * step + 1 + self._late_rank[position]

    def position_at(self, title_key: int) -> int:
        """The position whose ``title_key`` this is."""
        if not self.late:
            return title_key
        slot, offset = divmod(title_key, len(self.late) + 1)
        return slot - 1 if offset == 0 else self._late_order[offset - 1]

    @cached_property
    def late_bits(self) -> int:
        """The late practices' positions as a bitset."""
        bits = 0
        for position in self.late:
            bits |= 1 << position
        return bits

    @cached_property
    def _late_rank(self) -> dict:
        return {position: rank for rank, position in enumerate(self.late)}

    @cached_property
    def _late_order(self) -> list:
        return list(self.late)

    def positions_of(self, bits: int, most: int | None = None, skip: int = 0) -> list[int]:
        """The positions set in ``bits``, in slot order, leaving out the first ``skip``; the
        next ``most`` only if given."""
        positions = []
        if most is not None and most <= 0:
            return positions
        seen = 0
        for byte_number, byte in enumerate(self.bytes_of(bits)):
            if seen < skip:
                if seen + byte.bit_count() <= skip:
                    seen += byte.bit_count()
                    continue
                while seen < skip:  # the bits of this byte before the wanted ones
                    byte &= byte - 1
                    seen += 1
            while byte:
                lowest = byte & -byte
                positions.append(byte_number * 8 + lowest.bit_length() - 1)
                if len(positions) == most:
                    return positions
                byte ^= lowest
        return positions
