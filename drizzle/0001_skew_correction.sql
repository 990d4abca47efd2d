ALTER TABLE `user_activities` ADD `sent_at` datetime(3);--> statement-breakpoint
ALTER TABLE `user_activities` ADD `corrected_at` datetime(3);