-- Tracking plans (issue 20): violation counters by (event_type, rule), event types compared exactly as the plan
-- names them (binary collation: "Checkout" is not "checkout"); a nullable column at the end of user_activities for a
-- flagged event's violations (instant on MySQL 8 and MariaDB 10.11; existing rows are not rewritten).
CREATE TABLE `plan_violation_counts` (
	`event_type` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`rule` varchar(64) NOT NULL,
	`rejected` bigint unsigned NOT NULL DEFAULT 0,
	`flagged` bigint unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `plan_violation_counts_event_type_rule_pk` PRIMARY KEY(`event_type`,`rule`)
);
--> statement-breakpoint
ALTER TABLE `user_activities` ADD `plan_violations` json;
