-- Issue 17 finding 1: the masked ID number must hide the birth date AND the sequence digits.
-- The new mask (src/domain/idNumber.ts maskIdNumber) shows a subset of what the old one showed
-- (old: first 6 + last 4; new: first 6 + last 2 for 18 characters, first 6 + last 1 for 15, first third
-- only otherwise), so it is re-derived from the stored masked text alone, without the key.
-- Idempotent: applying it to a new-style mask gives the same mask.
UPDATE "people" SET "id_number_masked" = CASE
    WHEN length("id_number_masked") = 18 THEN substr("id_number_masked", 1, 6) || repeat('*', 10) || substr("id_number_masked", 17, 2)
    WHEN length("id_number_masked") = 15 THEN substr("id_number_masked", 1, 6) || repeat('*', 8) || substr("id_number_masked", 15, 1)
    ELSE substr("id_number_masked", 1, length("id_number_masked") / 3) || repeat('*', length("id_number_masked") - length("id_number_masked") / 3)
  END
  WHERE "id_number_masked" IS NOT NULL AND "id_number_masked" <> '';
--> statement-breakpoint
-- Import row reports keep masked copies of ID numbers found in cells: re-mask them the same way.
UPDATE "import_runs" SET "errors" = regexp_replace(
    regexp_replace("errors"::text, '([0-9]{6})\*{8}[0-9]{2}([0-9][0-9Xx])', '\1**********\2', 'g'),
    '([0-9]{6})\*{5}[0-9]{3}([0-9])', '\1********\2', 'g')::jsonb
  WHERE "errors" IS NOT NULL;
