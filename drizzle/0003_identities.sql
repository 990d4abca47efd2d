-- Identities of Segment-format calls (issue 10), compared exactly (binary collation: "User-A" is not "user-a").
-- Nullable columns added at the end: instant on MySQL 8 and MariaDB 10.11; existing rows are not rewritten.
ALTER TABLE `user_activities` ADD `user_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `user_activities` ADD `anonymous_id` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
CREATE INDEX `user_activities_user_key_time_idx` ON `user_activities` (`user_key`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `user_activities_anonymous_time_idx` ON `user_activities` (`anonymous_id`,`occurred_at`);
