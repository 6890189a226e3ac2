-- ref.fill_reason(template, label, value, amount, observed_at, detail, list_name, source_id) fills a
-- reason template of ref.scoring_signals (configs/scoring.yaml, written by warehouse.scoring) from a
-- signal row; ref.signal_reason(signal, value, amount, observed_at, detail, list_name, source_id)
-- looks the template up by signal name (for a few rows; set-based callers join ref.scoring_signals
-- and call fill_reason). Reasons are rendered when read (explain, the top reasons of a
-- company, alerts), never for all rows. An unknown signal reads as its own name.
--
-- How: the template's optional-part brackets [ ] become the marks chr(2) … chr(3) (so brackets
-- inside a value cannot be taken for them); each {placeholder} is replaced by its value or, when
-- the value is missing, by the mark chr(1); an optional part holding a chr(1) is dropped whole;
-- then the remaining marks go (ref.drop_unfilled).
CREATE OR REPLACE MACRO ref.drop_unfilled(filled) AS trim(replace(replace(replace(
    CASE WHEN contains(filled, chr(1))
         THEN regexp_replace(filled, chr(2) || '[^' || chr(2) || chr(3) || ']*' || chr(1) || '[^' || chr(2) || chr(3) || ']*' || chr(3), '', 'g')
         ELSE filled END,
    chr(1), ''), chr(2), ''), chr(3), ''));

CREATE OR REPLACE MACRO ref.fill_reason(template, label, value, amount, observed_at, detail, list_name, source_id) AS
ref.drop_unfilled(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(
        replace(replace(template, '[', chr(2)), ']', chr(3)),
        '{label}', coalesce(label, chr(1))),
        '{month}', CASE WHEN contains(template, '{month}') THEN coalesce(strftime(observed_at, '%Y-%m'), chr(1)) ELSE '' END),
        '{date}', CASE WHEN contains(template, '{date}') THEN coalesce(strftime(observed_at, '%Y-%m-%d'), chr(1)) ELSE '' END),
        -- 3260000 → '326', 312000 → '31.2', 3500 → '0.35', 730850 → '73.09': rounded half up in
        -- whole hundreds of yuan first, so no half-way double is left to printf (whose rounding
        -- of 73.085 differs between engines)
        '{amount_wan}', CASE WHEN contains(template, '{amount_wan}')
                             THEN coalesce(rtrim(rtrim(printf('%.2f', round(CAST(amount AS DOUBLE) / 100.0) / 100.0), '0'), '.'), chr(1))
                             ELSE '' END),
        '{amount_yuan}', CASE WHEN contains(template, '{amount_yuan}')
                              THEN coalesce(printf('%.0f', round(CAST(amount AS DOUBLE))), chr(1)) ELSE '' END),
        '{value}', coalesce(CAST(value AS VARCHAR), chr(1))),
        '{detail}', coalesce(CAST(detail AS VARCHAR), chr(1))),
        '{list_name}', coalesce(CAST(list_name AS VARCHAR), chr(1))),
        '{source_id}', coalesce(CAST(source_id AS VARCHAR), chr(1))));

CREATE OR REPLACE MACRO ref.signal_reason(sig, value, amount, observed_at, detail, list_name, source_id) AS coalesce(
    ref.fill_reason((SELECT t.reason_template FROM ref.scoring_signals AS t WHERE t.signal = sig),
                    (SELECT t.label FROM ref.scoring_signals AS t WHERE t.signal = sig),
                    value, amount, observed_at, detail, list_name, source_id),
    sig);
