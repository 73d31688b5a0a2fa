"""The size of the process-wide memo caches (formula texts and shapes, labels, amounts, names).

A budget book repeats its formula shapes, labels and names, so a few thousand entries catch
nearly every repeat; a bound keeps memory flat however many sheets a run reads. No cache holds
model objects (an Amount would keep its sheet alive): only texts, trees and exact values.
"""

CACHE_SIZE = 512
