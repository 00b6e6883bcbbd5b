"""Reports: the periodic CCHC reports and the documents that carry them (Nghị định 30/2020/NĐ-CP layout)."""
