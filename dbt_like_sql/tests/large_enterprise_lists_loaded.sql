-- asset: ref.large_enterprise_lists
-- blocking: false
-- A configured large-enterprise list (configs/large_enterprises.yaml) that gave no entries: its file
-- is missing or unreadable, so large firms it names could reach the 普惠 lists.
SELECT list_id, kind, title, source_file, status, rows
FROM ref.large_enterprise_lists
WHERE rows = 0
