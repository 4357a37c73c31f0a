-- Rebill's aggregate import format (docs/aggregate-format.md) from a CUR 2.0
-- (Data Exports) table: the table a Glue crawler or CREATE TABLE makes over
-- the export's Parquet files in S3, with its `product` map column.
--
-- DuckDB dialect of sql/athena/cur2_aggregate.sql: the same query but for
-- the map's value, which Trino reads with element_at.
-- Replace `cur` with your table ("database"."table") and, for a table of
-- several months, add a WHERE before GROUP BY for the month to bill (on
-- the export's BILLING_PERIOD partition: `WHERE billing_period =
-- '2026-09'` makes Athena read that month alone).
--
-- Amounts are summed as DECIMAL(38, 12), never as DOUBLE, so the sums are
-- exact to far below the cent; list_cost is each row's public on-demand
-- cost, or its unblended cost where AWS left that empty, as Rebill reads a
-- row.
SELECT
  'aws' AS provider,
  substr(CAST(bill_billing_period_start_date AS VARCHAR), 1, 7) AS billing_period,
  bill_payer_account_id AS payer_account_id,
  COALESCE(NULLIF(line_item_usage_account_id, ''), bill_payer_account_id) AS usage_account_id,
  COALESCE(line_item_line_item_type, '') AS line_item_type,
  COALESCE(bill_billing_entity, '') AS billing_entity,
  COALESCE(line_item_legal_entity, '') AS legal_entity,
  COALESCE(line_item_product_code, '') AS product_code,
  COALESCE(product['product_name'], '') AS product_name,
  COALESCE(line_item_usage_type, '') AS usage_type,
  COALESCE(line_item_operation, '') AS operation,
  COALESCE(substr(CAST(line_item_usage_start_date AS VARCHAR), 1, 10), '') AS usage_date,
  COALESCE(CASE
    WHEN line_item_line_item_type IN ('DiscountedUsage', 'RIFee')
      THEN split_part(reservation_reservation_a_r_n, ':', 5)
    WHEN line_item_line_item_type IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation',
                                      'SavingsPlanRecurringFee', 'SavingsPlanUpfrontFee')
      THEN split_part(savings_plan_savings_plan_a_r_n, ':', 5)
  END, '') AS commitment_owner_account_id,
  line_item_currency_code AS currency,
  COALESCE(bill_invoice_id, '') AS invoice_id,
  SUM(COALESCE(CAST(CAST(line_item_usage_amount AS DOUBLE) AS DECIMAL(38, 12)), 0)) AS usage_amount,
  SUM(COALESCE(CAST(CAST(line_item_unblended_cost AS DOUBLE) AS DECIMAL(38, 12)), 0)) AS unblended_cost,
  SUM(COALESCE(CAST(CAST(line_item_blended_cost AS DOUBLE) AS DECIMAL(38, 12)), 0)) AS blended_cost,
  SUM(CASE
    WHEN COALESCE(CAST(CAST(pricing_public_on_demand_cost AS DOUBLE) AS DECIMAL(38, 12)), 0) <> 0
      THEN CAST(CAST(pricing_public_on_demand_cost AS DOUBLE) AS DECIMAL(38, 12))
    ELSE COALESCE(CAST(CAST(line_item_unblended_cost AS DOUBLE) AS DECIMAL(38, 12)), 0)
  END) AS list_cost,
  SUM(COALESCE(CAST(CAST(reservation_effective_cost AS DOUBLE) AS DECIMAL(38, 12)), 0)) AS reservation_effective_cost,
  SUM(COALESCE(CAST(CAST(savings_plan_savings_plan_effective_cost AS DOUBLE) AS DECIMAL(38, 12)), 0)) AS savings_plan_effective_cost,
  COUNT(*) AS row_count
FROM cur
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
