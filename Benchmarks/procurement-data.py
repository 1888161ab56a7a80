#!/usr/bin/env python3
"""Writes a synthetic supplier base as the finance systems export it: N suppliers and M contracts
(deterministic, seed 2026). Usage: procurement-data.py OUT_DIR [suppliers=50000] [contracts=100000]"""
import csv
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
n_suppliers = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
n_contracts = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
rng = random.Random(2026)
sectors = ["Construction", "Cleaning and security services", "Hospitality, leisure and catering", "Professional services",
           "Information technology and telecommunications", "Healthcare and social care", "Transport, warehousing and logistics",
           "Textiles, clothing and footwear", "Food and beverages", "Retail and wholesale", "Manufacturing and electronics"]
countries = ["United Kingdom"] * 8 + ["Poland", "China", "India", "Bangladesh", "Vietnam", "Turkey", "Spain", "Brazil"]
bands = ["under_36m"] * 6 + ["36m_to_60m", "60m_to_100m", "100m_to_500m", "over_500m"]
words = ["North", "South", "Civic", "Harbour", "Meadow", "Bright", "Oak", "River", "Summit", "Kestrel", "Wren", "Granite", "Linden"]
trades = ["Cleaning", "Catering", "Facilities", "Construction", "Care", "Security", "Logistics", "Workwear", "Digital", "Print"]
categories = ["Cleaning services", "Catering, coffee and tea", "Garments and footwear", "Construction", "Home care", "Software",
              "Electronics", "Security guarding", "Waste collection", "Grounds maintenance", "Stationery and paper"]

out.mkdir(parents=True, exist_ok=True)
numbers = []
with open(out / "suppliers.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name", "company_number", "sector", "country", "turnover_band", "statement_url"])
    for i in range(n_suppliers):
        number = f"{10_000_000 + i:08d}"
        numbers.append(number)
        name = f"{rng.choice(words)} {rng.choice(trades)} {i} Ltd"
        country = "; ".join(sorted(set(rng.sample(countries, rng.randint(1, 2)))))
        url = f"https://supplier{i}.example/modern-slavery-statement" if rng.random() < 0.4 else ""
        w.writerow([name, number, rng.choice(sectors), country, rng.choice(bands), url])
with open(out / "contracts.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["title", "supplier", "value", "annual_value", "start_date", "end_date", "category", "business_critical"])
    for i in range(n_contracts):
        value = rng.choice([8_000, 24_000, 60_000, 250_000, 1_200_000, 6_000_000])
        start = f"20{rng.randint(22, 26)}-{rng.randint(1, 12):02d}-01"
        end = f"20{rng.randint(27, 30)}-{rng.randint(1, 12):02d}-28"
        w.writerow([f"Contract {i} {rng.choice(categories)}", rng.choice(numbers), value, value // 3, start, end,
                    rng.choice(categories), "yes" if rng.random() < 0.1 else "no"])
print(f"{n_suppliers} suppliers and {n_contracts} contracts written to {out}")
