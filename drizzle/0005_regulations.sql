CREATE TABLE `regulation_subjects` (
	`regulation_seq` bigint unsigned NOT NULL,
	`subject_hash` char(64) NOT NULL,
	CONSTRAINT `regulation_subjects_regulation_seq_subject_hash_pk` PRIMARY KEY(`regulation_seq`,`subject_hash`)
);
--> statement-breakpoint
CREATE TABLE `regulations` (
	`seq` bigint unsigned AUTO_INCREMENT NOT NULL,
	`id` char(36) NOT NULL,
	`regulation_type` varchar(32) NOT NULL,
	`subject_type` varchar(16) NOT NULL,
	`subject_count` int unsigned NOT NULL,
	`overall_status` varchar(16) NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`finished_at` datetime(3),
	`deleted_events` bigint unsigned NOT NULL DEFAULT 0,
	`deleted_failed_events` bigint unsigned NOT NULL DEFAULT 0,
	`deleted_dead_letters` bigint unsigned NOT NULL DEFAULT 0,
	`requested_by` varchar(64) NOT NULL,
	CONSTRAINT `regulations_seq` PRIMARY KEY(`seq`),
	CONSTRAINT `regulations_id_unique` UNIQUE(`id`)
);
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`subject_hash` char(64) NOT NULL,
	`since` datetime(3) NOT NULL,
	`ended_at` datetime(3),
	`regulation_id` char(36) NOT NULL,
	CONSTRAINT `suppressions_subject_hash_since_pk` PRIMARY KEY(`subject_hash`,`since`)
);
--> statement-breakpoint
ALTER TABLE `activity_counts` ADD `suppressed` bigint unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `failed_events` ADD `user_hash` char(64);--> statement-breakpoint
ALTER TABLE `failed_events` ADD `anonymous_hash` char(64);--> statement-breakpoint
ALTER TABLE `user_activities` ADD `user_hash` char(64);--> statement-breakpoint
ALTER TABLE `user_activities` ADD `anonymous_hash` char(64);--> statement-breakpoint
CREATE INDEX `regulation_subjects_subject_idx` ON `regulation_subjects` (`subject_hash`);--> statement-breakpoint
CREATE INDEX `failed_events_user_hash_idx` ON `failed_events` (`user_hash`);--> statement-breakpoint
CREATE INDEX `failed_events_anonymous_hash_idx` ON `failed_events` (`anonymous_hash`);--> statement-breakpoint
CREATE INDEX `user_activities_user_hash_idx` ON `user_activities` (`user_hash`);--> statement-breakpoint
CREATE INDEX `user_activities_anonymous_hash_idx` ON `user_activities` (`anonymous_hash`);