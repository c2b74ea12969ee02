"""The trades of the demo customers and how each one buys.

A customer's trade decides what it buys: the trade's items (most common
first), complements bought in the same order (A with B), follow-ups bought
some weeks after a first purchase (after A, later B) and the grades it
favours (a warung buys Ekonomis, a café Super). Items are the names of
``names.PRODUCT_FAMILIES``.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Trade:
    name: str
    share: float  # of the customers
    company_words: tuple[str, ...]  # last word of a company's name
    grade_weights: tuple[float, ...]  # one per names.GRADES
    items: tuple[str, ...]  # most common first
    complements: tuple[tuple[str, str], ...] = ()  # (A, B): B in A's order
    follow_ups: tuple[tuple[str, str, int], ...] = ()  # (A, B, days later)


TRADES = (
    Trade(
        "Warung & Toko Kelontong",
        0.28,
        ("Swalayan", "Toserba", "Retail", "Pangan"),
        (0.45, 0.4, 0.12, 0.03),
        (
            "Beras Premium 5 kg",
            "Minyak Goreng 2 L",
            "Gula Pasir 1 kg",
            "Mi Instan (dus isi 40)",
            "Telur Ayam 1 tray",
            "Air Mineral 600 ml (dus)",
            "Tepung Terigu 1 kg",
            "Kecap Manis 620 ml",
            "Garam Dapur 500 g",
            "Teh Kotak (dus)",
            "Kopi Bubuk 200 g",
            "Deterjen Bubuk 1.8 kg",
            "Sabun Cuci Piring 800 ml",
            "Sirup Cocopandan",
            "Beras Medium 25 kg",
        ),
        complements=(
            ("Tepung Terigu 1 kg", "Telur Ayam 1 tray"),
            ("Mi Instan (dus isi 40)", "Telur Ayam 1 tray"),
            ("Kopi Bubuk 200 g", "Gula Pasir 1 kg"),
            ("Deterjen Bubuk 1.8 kg", "Sabun Cuci Piring 800 ml"),
            ("Beras Premium 5 kg", "Minyak Goreng 2 L"),
        ),
        follow_ups=(
            ("Sirup Cocopandan", "Susu Kental Manis (dus)", 21),
            ("Beras Premium 5 kg", "Beras Medium 25 kg", 45),
            ("Kecap Manis 620 ml", "Garam Dapur 500 g", 30),
        ),
    ),
    Trade(
        "Kafe & Rumah Makan",
        0.18,
        ("Kuliner", "Pangan"),
        (0.1, 0.4, 0.35, 0.15),
        (
            "Kopi Biji 1 kg",
            "Susu UHT 1 L (dus)",
            "Gula Pasir 1 kg",
            "Susu Kental Manis (dus)",
            "Kopi Bubuk 200 g",
            "Minyak Goreng 2 L",
            "Telur Ayam 1 tray",
            "Tepung Terigu 1 kg",
            "Sirup Cocopandan",
            "Tisu Gulung (isi 10)",
            "Sabun Cuci Piring 800 ml",
            "Beras Premium 5 kg",
            "Air Mineral 600 ml (dus)",
            "Blender",
            "Pemanas Air Listrik",
        ),
        complements=(
            ("Kopi Biji 1 kg", "Susu UHT 1 L (dus)"),
            ("Kopi Bubuk 200 g", "Susu Kental Manis (dus)"),
            ("Tepung Terigu 1 kg", "Telur Ayam 1 tray"),
            ("Sirup Cocopandan", "Gula Pasir 1 kg"),
            ("Sabun Cuci Piring 800 ml", "Tisu Gulung (isi 10)"),
        ),
        follow_ups=(
            ("Blender", "Sirup Cocopandan", 14),
            ("Pemanas Air Listrik", "Kopi Bubuk 200 g", 14),
            ("Kopi Biji 1 kg", "Blender", 60),
        ),
    ),
    Trade(
        "Toko Elektronik",
        0.13,
        ("Elektronik", "Teknik"),
        (0.2, 0.4, 0.28, 0.12),
        (
            "Lampu LED 12 W (isi 6)",
            "Kipas Angin Berdiri",
            "Rice Cooker 1.8 L",
            "Kabel Roll 10 m",
            "Stop Kontak 4 Lubang",
            "Setrika Listrik",
            "Blender",
            "Dispenser Air",
            "Pemanas Air Listrik",
        ),
        complements=(
            ("Lampu LED 12 W (isi 6)", "Kabel Roll 10 m"),
            ("Kipas Angin Berdiri", "Stop Kontak 4 Lubang"),
            ("Rice Cooker 1.8 L", "Blender"),
        ),
        follow_ups=(
            ("Rice Cooker 1.8 L", "Pemanas Air Listrik", 30),
            ("Setrika Listrik", "Dispenser Air", 45),
        ),
    ),
    Trade(
        "Kontraktor Bangunan",
        0.15,
        ("Bangunan", "Teknik"),
        (0.3, 0.45, 0.2, 0.05),
        (
            "Semen 50 kg",
            "Paku 1 kg",
            "Pipa PVC 3 m",
            "Cat Tembok 5 kg",
            "Keramik 40x40 (dus)",
            "Lem Pipa PVC",
            "Kuas Cat 3 inci",
            "Nat Keramik 1 kg",
            "Plamir Tembok 1 kg",
            "Lampu LED 12 W (isi 6)",
            "Kabel Roll 10 m",
            "Stop Kontak 4 Lubang",
        ),
        complements=(
            ("Cat Tembok 5 kg", "Kuas Cat 3 inci"),
            ("Keramik 40x40 (dus)", "Nat Keramik 1 kg"),
            ("Pipa PVC 3 m", "Lem Pipa PVC"),
            ("Semen 50 kg", "Paku 1 kg"),
        ),
        follow_ups=(
            ("Semen 50 kg", "Keramik 40x40 (dus)", 30),
            ("Plamir Tembok 1 kg", "Cat Tembok 5 kg", 14),
            ("Cat Tembok 5 kg", "Lampu LED 12 W (isi 6)", 21),
        ),
    ),
    Trade(
        "Kantor & Sekolah",
        0.12,
        ("Logistik", "Trading", "Farma"),
        (0.15, 0.5, 0.25, 0.1),
        (
            "Air Mineral 600 ml (dus)",
            "Tisu Gulung (isi 10)",
            "Kopi Bubuk 200 g",
            "Gula Pasir 1 kg",
            "Teh Kotak (dus)",
            "Sabun Cuci Tangan 500 ml",
            "Pembersih Lantai 800 ml",
            "Kantong Sampah (isi 50)",
            "Pengharum Ruangan",
            "Lampu LED 12 W (isi 6)",
            "Dispenser Air",
            "Kipas Angin Berdiri",
        ),
        complements=(
            ("Kopi Bubuk 200 g", "Gula Pasir 1 kg"),
            ("Pembersih Lantai 800 ml", "Kantong Sampah (isi 50)"),
            ("Sabun Cuci Tangan 500 ml", "Tisu Gulung (isi 10)"),
        ),
        follow_ups=(
            ("Dispenser Air", "Air Mineral 600 ml (dus)", 7),
            ("Pembersih Lantai 800 ml", "Pengharum Ruangan", 30),
        ),
    ),
    Trade(
        "Grosir & Distributor",
        0.14,
        ("Grosir", "Distribusi", "Niaga"),
        (0.35, 0.45, 0.15, 0.05),
        (
            "Beras Medium 25 kg",
            "Minyak Goreng 2 L",
            "Gula Pasir 1 kg",
            "Mi Instan (dus isi 40)",
            "Tepung Terigu 1 kg",
            "Air Mineral 600 ml (dus)",
            "Teh Kotak (dus)",
            "Susu UHT 1 L (dus)",
            "Deterjen Bubuk 1.8 kg",
            "Sabun Cuci Piring 800 ml",
            "Pembersih Lantai 800 ml",
            "Tisu Gulung (isi 10)",
            "Garam Dapur 500 g",
        ),
        complements=(
            ("Beras Medium 25 kg", "Minyak Goreng 2 L"),
            ("Mi Instan (dus isi 40)", "Air Mineral 600 ml (dus)"),
            ("Deterjen Bubuk 1.8 kg", "Pembersih Lantai 800 ml"),
        ),
        follow_ups=(
            ("Teh Kotak (dus)", "Susu UHT 1 L (dus)", 30),
            ("Tisu Gulung (isi 10)", "Sabun Cuci Piring 800 ml", 21),
        ),
    ),
)
