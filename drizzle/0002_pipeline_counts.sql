CREATE TABLE `activity_counts` (
	`minute` datetime NOT NULL,
	`stored` bigint unsigned NOT NULL DEFAULT 0,
	`failed` bigint unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `activity_counts_minute` PRIMARY KEY(`minute`)
);
--> statement-breakpoint
INSERT INTO `activity_counts` (`minute`, `stored`, `failed`)
SELECT '1970-01-01 00:00:00', (SELECT COUNT(*) FROM `user_activities`), (SELECT COUNT(*) FROM `failed_events`);
